using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Console;

/// <summary>A check of one of the operator's hosts was decided (<c>event: check</c> of the live host stream); its signed
/// reports are at <c>GET /checks/{id}</c>.</summary>
/// <param name="Kind">liveness, service or capacity.</param>
/// <param name="Outcome">passed, failed or undecided.</param>
/// <param name="Consequence">What followed, in words; empty when nothing did.</param>
public sealed record HostCheckDecidedView(
    [property: RegularExpression(ApiPatterns.HostId)] string HostId,
    string Id,
    [property: AllowedValues("liveness", "service", "capacity")] string Kind,
    [property: AllowedValues("passed", "failed", "undecided")] string Outcome,
    string Consequence,
    DateTimeOffset? DecidedAt);

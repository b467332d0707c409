using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Console;

/// <summary>A check of one of the operator's hosts was decided (<c>event: check</c> of the live host stream); its signed
/// reports are at <c>GET /checks/{id}</c>.</summary>
/// <param name="Kind">liveness, service or capacity.</param>
/// <param name="Outcome">passed, failed or undecided; or escalated: a capacity check whose first panel split, decided by
/// a second panel's check (<c>escalatedTo</c> at <c>GET /checks/{id}</c>), which comes as an event of its own.</param>
/// <param name="Consequence">What followed, in words; empty when nothing did.</param>
public sealed record HostCheckDecidedView(
    [property: RegularExpression(ApiPatterns.HostId)] string HostId,
    string Id,
    [property: AllowedValues("liveness", "service", "capacity")] string Kind,
    [property: AllowedValues("passed", "failed", "undecided", "escalated")] string Outcome,
    string Consequence,
    DateTimeOffset? DecidedAt);

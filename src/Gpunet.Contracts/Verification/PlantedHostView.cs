using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Verification;

// A registered host the network's operator planted as a honeypot (state "active"), or no longer ("retired"). Only the
// operator sees these: a checker that could would pass every host but these.
public sealed record PlantedHostView(
    [property: RegularExpression(ApiPatterns.HostId)] string HostId,
    [property: MaxLength(TextLimits.Label)] string State,
    DateTimeOffset PlantedAt,
    [property: RegularExpression(ApiPatterns.Actor)] string PlantedBy,
    DateTimeOffset? RetiredAt,
    [property: RegularExpression(ApiPatterns.Actor)] string? RetiredBy);

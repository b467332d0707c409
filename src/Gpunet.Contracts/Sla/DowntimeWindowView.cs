using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Sla;

/// <summary>One window of downtime: when, how long, why (<c>host-lost</c>, <c>paused-by-policy</c>, <c>failed-check</c>,
/// <c>degraded</c>, <c>maintenance</c>), the evidence in words, and whether it counts against the customer's
/// availability (maintenance does not).</summary>
public sealed record DowntimeWindowView(
    DateTimeOffset Start,
    DateTimeOffset End,
    double Seconds,
    [property: AllowedValues("host-lost", "paused-by-policy", "failed-check", "degraded", "maintenance")] string Cause,
    [property: MaxLength(TextLimits.Reason)] string Detail,
    bool CountsAgainstCustomer,
    [property: RegularExpression(ApiPatterns.HostId)] string? HostId);

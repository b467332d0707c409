using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Sla;

/// <summary>An SLA tier as offered: the monthly availability it promises (percent), the longest wait for a new host
/// after a loss, the session round-trip bound, the share of the claimed GPU speed below which a lease is degraded, the
/// credit schedule, and what a host's record must show to serve it.</summary>
public sealed record SlaTierView(
    [property: RegularExpression("^[a-z0-9-]{1,32}$")] string Name,
    decimal AvailabilityPercent,
    double MaxReplacementSeconds,
    double SessionLatencyMs,
    double DegradedShare,
    [property: MaxLength(ShortLists.CreditSteps)] IReadOnlyList<SlaCreditStepView> Credits,
    decimal ReplacementCreditPercent,
    double MinHostUptime,
    double MinCheckPassRate,
    double MinLeaseCompletion);

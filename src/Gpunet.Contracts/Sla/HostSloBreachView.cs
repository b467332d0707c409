using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Sla;

/// <summary>A host over its SLO allowance in a month.</summary>
/// <param name="Operator">The wallet that registered it.</param>
/// <param name="OfflineSeconds">Seconds offline (not heard) in the month so far.</param>
/// <param name="DaysOverLimit">UTC days offline for the daily limit or more.</param>
/// <param name="WorstDaySeconds">Its most offline day, seconds.</param>
/// <param name="OverMonthlyAllowance">Whether the month's offline time is over the monthly allowance.</param>
public sealed record HostSloBreachView(
    [property: RegularExpression(ApiPatterns.HostId)] string HostId,
    [property: RegularExpression("^(0x[0-9a-f]{40})?$")] string Operator,
    long OfflineSeconds,
    int DaysOverLimit,
    long WorstDaySeconds,
    bool OverMonthlyAllowance);

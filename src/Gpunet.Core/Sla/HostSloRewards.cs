namespace Gpunet.Core.Sla;

/// <summary>The host SLOs' consequence in the reward rules: a container offline (not heard) for the daily limit or more
/// within an epoch, or whose offline time this month already exceeds what the monthly uptime allows (1 % of the month
/// by default: about 7.4 hours in a 31-day month), earns no Proof of Capacity for the epoch; its fees and delivery
/// rewards are unaffected (downtime while serving is already unbilled, slashed and credited).</summary>
public static class HostSloRewards
{
    /// <summary>Whether a container offline <paramref name="offlineSeconds"/> in the epoch keeps its capacity reward:
    /// only while that stays below <paramref name="dailyLimit"/> (30 minutes by default).</summary>
    public static bool KeepsCapacityReward(long offlineSeconds, TimeSpan dailyLimit) => offlineSeconds < dailyLimit.TotalSeconds;

    /// <summary>Whether a container keeps its capacity reward for an epoch: offline less than
    /// <paramref name="dailyLimit"/> in the epoch, and offline this month (to the epoch's end) no more than
    /// (1 − <paramref name="monthlyUptime"/>) of <paramref name="monthLength"/>.</summary>
    public static bool KeepsCapacityReward(long offlineInEpoch, TimeSpan dailyLimit, long offlineThisMonth, TimeSpan monthLength, double monthlyUptime) =>
        KeepsCapacityReward(offlineInEpoch, dailyLimit) && offlineThisMonth <= MonthlyAllowanceSeconds(monthLength, monthlyUptime);

    /// <summary>The month's offline allowance in whole seconds (as offline time is counted): (1 − <paramref name="monthlyUptime"/>)
    /// of <paramref name="monthLength"/>, rounded.</summary>
    public static double MonthlyAllowanceSeconds(TimeSpan monthLength, double monthlyUptime) => Math.Round((1 - monthlyUptime) * monthLength.TotalSeconds);

    /// <summary>The calendar month (UTC) that holds <paramref name="at"/>: its start and its length.</summary>
    public static (DateTimeOffset Start, TimeSpan Length) MonthOf(DateTimeOffset at)
    {
        var start = new DateTimeOffset(at.UtcDateTime.Year, at.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return (start, start.AddMonths(1) - start);
    }
}

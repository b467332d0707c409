using Gpunet.Core.Sla;

namespace Gpunet.Core.Tests.Sla;

public sealed class HostSloBreachesTests
{
    private static readonly TimeSpan Daily = TimeSpan.FromMinutes(30);
    private static readonly double Allowance = HostSloRewards.MonthlyAllowanceSeconds(TimeSpan.FromDays(31), 0.99);

    private static Dictionary<string, long> Day(params (string Host, long Seconds)[] hosts) => hosts.ToDictionary(h => h.Host, h => h.Seconds);

    [Fact]
    public void MonthlyAllowance_IsTheMonthsShareNotUp() => Assert.Equal(26_784, Allowance);

    [Fact]
    public void Of_ADayAtTheDailyLimit_IsABreach_OneSecondUnderIsNot()
    {
        var breaches = HostSloBreaches.Of([Day(("host-a", 30 * 60), ("host-b", 30 * 60 - 1))], Daily, Allowance);

        Assert.Equal([new HostSloBreach("host-a", 1_800, 1, 1_800, false)], breaches);
    }

    [Fact]
    public void Of_QuietDaysThatAddUpPastTheMonthsAllowance_AreABreach_WorstFirst()
    {
        // 25 minutes a day, every day of a 31-day month: never over the daily limit, 12.9 h in the month.
        var quiet = Enumerable.Range(0, 31).Select(_ => Day(("host-q", 25 * 60), ("host-z", 60))).ToList();
        quiet[3]["host-d"] = 3 * 3_600;

        var breaches = HostSloBreaches.Of(quiet, Daily, Allowance);

        Assert.Equal([new HostSloBreach("host-q", 31 * 25 * 60, 0, 25 * 60, true), new HostSloBreach("host-d", 3 * 3_600, 1, 3 * 3_600, false)], breaches);
    }

    [Fact]
    public void Of_NoOfflineTime_NoBreach() =>
        Assert.Empty(HostSloBreaches.Of([Day(("host-a", 0)), Day()], Daily, Allowance));
}

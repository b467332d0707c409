using FsCheck.Xunit;
using Gpunet.Core.Sla;

namespace Gpunet.Core.Tests.Sla;

public sealed class HostSloTests
{
    private static readonly DateTimeOffset March = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(30);

    [Fact]
    public void Days_MaintenanceOfAnHour_BreaksThatDaysLimit()
    {
        var windows = new[]
        {
            new DowntimeWindow(March.AddHours(2), March.AddHours(3), DowntimeCause.Maintenance, "declared: rack move"),
            new DowntimeWindow(March.AddDays(1).AddHours(5), March.AddDays(1).AddHours(5).AddMinutes(29), DowntimeCause.HostLost, "no heartbeat"),
        };

        var days = HostSlo.Days(March, March.AddDays(3), windows, Limit);

        Assert.Equal([3600.0, 29 * 60.0, 0.0], days.Select(d => d.OfflineSeconds));
        Assert.Equal([false, true, true], days.Select(d => d.Met));
        Assert.Equal(1 - (3600.0 / 86_400), days[0].Uptime, 9);
    }

    [Fact]
    public void Day_ExactlyTheLimit_NotMet()
    {
        var w = new DowntimeWindow(March.AddHours(1), March.AddHours(1).AddMinutes(30), DowntimeCause.FailedCheck, "liveness failed");

        Assert.False(HostSlo.Day(new DateOnly(2026, 3, 1), March, March.AddDays(1), [w], Limit).Met);
    }

    [Fact]
    public void Day_OverlappingWindows_CountedOnce()
    {
        var a = new DowntimeWindow(March.AddHours(1), March.AddHours(1).AddMinutes(20), DowntimeCause.HostLost, "a");
        var b = new DowntimeWindow(March.AddHours(1).AddMinutes(10), March.AddHours(1).AddMinutes(25), DowntimeCause.FailedCheck, "b");

        var day = HostSlo.Day(new DateOnly(2026, 3, 1), March, March.AddDays(1), [a, b], Limit);

        Assert.Equal(25 * 60.0, day.OfflineSeconds);
        Assert.True(day.Met);
    }

    [Fact]
    public void Day_RegisteredAtNoon_ObservesHalfTheDay()
    {
        var day = HostSlo.Day(new DateOnly(2026, 3, 1), March.AddHours(12), March.AddDays(31), [], Limit);

        Assert.Equal(12 * 3600.0, day.ObservedSeconds);
    }

    [Fact]
    public void MonthlyUptime_EightHoursDownInThirtyDays_Below99Percent()
    {
        var month = 30 * 86_400.0;
        var down = new DowntimeWindow(March, March.AddHours(8), DowntimeCause.HostLost, "offline");

        var uptime = HostSlo.MonthlyUptime(month, [down]);

        Assert.Equal(1 - (8 * 3600.0 / month), uptime, 9);
        Assert.False(HostSlo.Met(HostSlo.Days(March, March.AddDays(30), [down], Limit), uptime, 0.99));
        Assert.True(HostSlo.Met([], HostSlo.MonthlyUptime(month, []), 0.99));
    }

    [Property]
    public bool Days_AnyWindows_OfflineSumsToTheWindowsAndNoDayHasMoreThanADay(byte[] gaps, byte[] lengths)
    {
        var windows = SlaDaysTests.Windows(gaps, lengths, maintenance: true);
        var to = March.AddDays(10);
        var days = HostSlo.Days(March, to, windows, Limit);
        var total = windows.Sum(w => UtcDays.Overlap(w.Start, w.End, March, to));
        return Math.Abs(days.Sum(d => d.OfflineSeconds) - total) < 1e-6
            && days.All(d => d.OfflineSeconds <= d.ObservedSeconds && d.ObservedSeconds <= 86_400)
            && days.All(d => d.Met == (d.OfflineSeconds < Limit.TotalSeconds));
    }
}

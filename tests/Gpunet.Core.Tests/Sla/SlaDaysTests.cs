using FsCheck.Xunit;
using Gpunet.Core.Sla;

namespace Gpunet.Core.Tests.Sla;

public sealed class SlaDaysTests
{
    private static readonly DateTimeOffset March = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Split_WindowAcrossMidnight_CountsEachDaysPart()
    {
        // Owed from 1 March 12:00 to 3 March 06:00; down 1 March 23:00 to 2 March 01:00.
        var owed = (March.AddHours(12), March.AddDays(2).AddHours(6));
        var down = new DowntimeWindow(March.AddHours(23), March.AddHours(25), DowntimeCause.HostLost, "host offline");

        var days = SlaDays.Split(March, March.AddDays(3), [owed], [down]);

        Assert.Equal([new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3)], days.Select(d => d.Day));
        Assert.Equal([12 * 3600.0, 24 * 3600.0, 6 * 3600.0], days.Select(d => d.ObligatedSeconds));
        Assert.Equal([3600.0, 3600.0, 0.0], days.Select(d => d.DowntimeSeconds));
        Assert.Equal(1 - (1 / 12.0), days[0].Availability, 9);
        Assert.Equal(1.0, days[2].Availability);
    }

    [Fact]
    public void Split_Maintenance_DoesNotCountAgainstTheCustomer()
    {
        var owed = (March, March.AddDays(1));
        var maintenance = new DowntimeWindow(March.AddHours(2), March.AddHours(4), DowntimeCause.Maintenance, "declared: kernel update");
        var degraded = new DowntimeWindow(March.AddHours(4), March.AddHours(5), DowntimeCause.Degraded, "capacity at 40 % of H100");

        var day = Assert.Single(SlaDays.Split(March, March.AddDays(1), [owed], [maintenance, degraded]));

        Assert.Equal(3600.0, day.DowntimeSeconds);
    }

    [Fact]
    public void Split_TwoLeasesSideBySide_OweTwiceTheDay()
    {
        var day = Assert.Single(SlaDays.Split(March, March.AddDays(1), [(March, March.AddDays(1)), (March, March.AddDays(1))], []));

        Assert.Equal(2 * 86_400.0, day.ObligatedSeconds);
        Assert.Equal(1.0, day.Availability);
    }

    [Fact]
    public void Split_PeriodEndsMidDay_LastDayIsPartial()
    {
        var days = SlaDays.Split(March, March.AddDays(1).AddHours(8), [(March, March.AddDays(5))], []);

        Assert.Equal([86_400.0, 8 * 3600.0], days.Select(d => d.ObligatedSeconds));
    }

    [Fact]
    public void Split_EmptyPeriod_NoDays() =>
        Assert.Empty(SlaDays.Split(March, March, [(March, March.AddDays(1))], []));

    [Property]
    public bool Split_NonOverlappingWindows_DaysSumToTheWindowsAndNoDayHasMoreThanADay(byte[] gaps, byte[] lengths, bool maintenance)
    {
        var windows = Windows(gaps, lengths, maintenance);
        var to = March.AddDays(10);
        var days = SlaDays.Split(March, to, [(March, to)], windows);
        var total = windows.Where(w => w.Cause != DowntimeCause.Maintenance)
            .Sum(w => UtcDays.Overlap(w.Start, w.End, March, to));
        return Math.Abs(days.Sum(d => d.DowntimeSeconds) - total) < 1e-6
            && days.All(d => d.DowntimeSeconds <= 86_400 && d.DowntimeSeconds <= d.ObligatedSeconds)
            && days.Sum(d => d.ObligatedSeconds) == (to - March).TotalSeconds;
    }

    /// <summary>Windows one after another: each a gap then a length, in hours (so they reach past midnights and past the
    /// period's end), every other one maintenance when asked.</summary>
    internal static List<DowntimeWindow> Windows(byte[] gaps, byte[] lengths, bool maintenance)
    {
        var windows = new List<DowntimeWindow>();
        var at = March.AddMinutes(-90);
        for (var i = 0; i < Math.Min(gaps.Length, lengths.Length); i++)
        {
            var start = at.AddMinutes(gaps[i] * 7);
            var end = start.AddMinutes(1 + (lengths[i] * 11));
            windows.Add(new DowntimeWindow(start, end, maintenance && i % 2 == 1 ? DowntimeCause.Maintenance : DowntimeCause.HostLost, $"w{i}"));
            at = end;
        }

        return windows;
    }
}

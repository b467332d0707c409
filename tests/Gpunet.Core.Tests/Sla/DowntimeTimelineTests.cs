using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Sla;

namespace Gpunet.Core.Tests.Sla;

public sealed class DowntimeTimelineTests
{
    private static readonly DateTimeOffset From = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddDays(1);

    private static DateTimeOffset At(int seconds) => From.AddSeconds(seconds);

    private static DowntimeSignal Signal(int start, int? end, DowntimeCause cause, string detail = "") =>
        new(At(start), end is { } e ? At(e) : null, cause, detail == "" ? cause.ToString() : detail);

    [Fact]
    public void Windows_NoSignals_None() => Assert.Empty(DowntimeTimeline.Windows([], From, To));

    [Fact]
    public void Windows_DegradedInsideAnOutage_TheOutageWinsAndDegradedShowsAroundIt()
    {
        var windows = DowntimeTimeline.Windows(
            [Signal(100, 500, DowntimeCause.Degraded, "slow"), Signal(200, 300, DowntimeCause.HostLost, "offline")], From, To);

        Assert.Equal(
            [
                new DowntimeWindow(At(100), At(200), DowntimeCause.Degraded, "slow"),
                new DowntimeWindow(At(200), At(300), DowntimeCause.HostLost, "offline"),
                new DowntimeWindow(At(300), At(500), DowntimeCause.Degraded, "slow"),
            ],
            windows);
    }

    [Fact]
    public void Windows_OutageDuringDeclaredMaintenance_CountsAsMaintenance()
    {
        var windows = DowntimeTimeline.Windows(
            [Signal(0, 1000, DowntimeCause.HostLost, "offline"), Signal(100, 400, DowntimeCause.Maintenance, "upgrade")], From, To);

        Assert.Equal(DowntimeCause.Maintenance, windows.Single(w => w.Start == At(100)).Cause);
        Assert.Equal(TimeSpan.FromSeconds(700), windows.Where(w => w.Cause == DowntimeCause.HostLost).Aggregate(TimeSpan.Zero, (t, w) => t + w.Length));
    }

    [Fact]
    public void Windows_StillOpenAndOutsideThePeriod_ClippedToIt()
    {
        var windows = DowntimeTimeline.Windows([Signal(-500, 50, DowntimeCause.FailedCheck), Signal(86_000, null, DowntimeCause.HostLost)], From, To);

        Assert.Equal([new DowntimeWindow(From, At(50), DowntimeCause.FailedCheck, "FailedCheck"), new DowntimeWindow(At(86_000), To, DowntimeCause.HostLost, "HostLost")], windows);
    }

    [Fact]
    public void Windows_TouchingSignalsOfOneCauseAndDetail_OneWindow()
    {
        var windows = DowntimeTimeline.Windows([Signal(0, 60, DowntimeCause.Degraded, "slow"), Signal(60, 120, DowntimeCause.Degraded, "slow")], From, To);

        Assert.Equal([new DowntimeWindow(At(0), At(120), DowntimeCause.Degraded, "slow")], windows);
    }

    private static Arbitrary<List<DowntimeSignal>> Signals() =>
        Gen.ListOf(Gen.Zip(Gen.Zip(Gen.Choose(-1000, 90_000), Gen.Choose(0, 20_000)), Gen.Zip(Gen.Elements(Enum.GetValues<DowntimeCause>()), Gen.Elements(true, false))))
            .Select(list => list.Select(s => Signal(s.Item1.Item1, s.Item2.Item2 ? s.Item1.Item1 + s.Item1.Item2 : null, s.Item2.Item1)).ToList())
            .ToArbitrary();

    // Windows never overlap, stay inside the period, and cover exactly the time some signal covers.
    [Property(MaxTest = 300)]
    public Property Windows_AnySignals_DisjointInsideThePeriodAndCoverTheSignals() =>
        Prop.ForAll(Signals(), signals =>
        {
            var windows = DowntimeTimeline.Windows(signals, From, To);
            var disjoint = windows.Zip(windows.Skip(1)).All(p => p.First.End <= p.Second.Start);
            var inside = windows.All(w => w.Start >= From && w.End <= To && w.End > w.Start);
            var covered = new bool[86_400];
            foreach (var s in signals)
            {
                for (var t = Math.Max(0, (int)(s.Start - From).TotalSeconds); t < Math.Min(86_400, (int)((s.End ?? To) - From).TotalSeconds); t++)
                    covered[t] = true;
            }

            return disjoint && inside && windows.Sum(w => w.Length.TotalSeconds) == covered.Count(c => c);
        });

    // At every moment the window's cause is the first cause among the signals covering that moment.
    [Property(MaxTest = 200)]
    public Property Windows_AnySignals_EachMomentTakesTheFirstCause() =>
        Prop.ForAll(Signals(), signals =>
        {
            var windows = DowntimeTimeline.Windows(signals, From, To);
            return windows.All(w =>
            {
                var mid = w.Start + (w.Length / 2);
                var first = signals.Where(s => s.Start <= mid && (s.End ?? To) > mid).Min(s => s.Cause);
                return first == w.Cause;
            });
        });
}

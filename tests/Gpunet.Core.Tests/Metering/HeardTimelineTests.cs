using FsCheck;
using FsCheck.Fluent;
using Gpunet.Core.Metering;

namespace Gpunet.Core.Tests.Metering;

public sealed class HeardTimelineTests
{
    [Fact]
    public void HeardMs_HeartbeatsWithinGap_SpanBetweenThemHeard()
    {
        var t = new HeardTimeline(maxGapMs: 2_500);
        foreach (var ms in new long[] { 1_000, 2_000, 3_000, 4_000 })
            t.Heard(ms);

        Assert.Equal(3_000, t.HeardMs(0, 10_000));
        Assert.Equal(1_500, t.HeardMs(2_500, 10_000));
        Assert.Equal(4_000, t.LastHeardMs);
    }

    [Fact]
    public void HeardMs_SilenceLongerThanGap_NotHeard()
    {
        var t = new HeardTimeline(maxGapMs: 2_500);
        foreach (var ms in new long[] { 0, 2_000, 4_000, 14_000, 16_000 })
            t.Heard(ms);

        // [0, 4000) and [14000, 16000) heard; the 10 s silence between is not.
        Assert.Equal(6_000, t.HeardMs(0, 20_000));
        Assert.Equal(0, t.HeardMs(4_000, 14_000));
        Assert.Equal(1_000, t.HeardMs(13_000, 15_000));
    }

    [Fact]
    public void HeardMs_AfterLatestHeartbeat_NotHeardUntilConfirmed()
    {
        var t = new HeardTimeline(maxGapMs: 2_500);
        t.Heard(1_000);
        t.Heard(2_000);

        Assert.Equal(0, t.HeardMs(2_000, 3_000));
        t.Heard(3_000);
        Assert.Equal(1_000, t.HeardMs(2_000, 3_000));
    }

    [Fact]
    public void HeardMs_SingleHeartbeat_NothingHeard()
    {
        var t = new HeardTimeline(maxGapMs: 2_500);
        t.Heard(1_000);
        t.Heard(10_000);

        Assert.Equal(0, t.HeardMs(0, 20_000));
    }

    [Fact]
    public void Heard_OlderThanHorizon_Dropped()
    {
        var t = new HeardTimeline(maxGapMs: 100, horizonMs: 16_000);
        t.Heard(0);
        t.Heard(100);
        t.Heard(5_000);
        t.Heard(5_100);
        t.Heard(20_000);

        Assert.Equal(0, t.HeardMs(0, 1_000));
        Assert.Equal(100, t.HeardMs(5_000, 6_000));
    }

    [Fact]
    public void Heard_EarlierThanLatest_Ignored()
    {
        var t = new HeardTimeline(maxGapMs: 2_500);
        t.Heard(2_000);
        t.Heard(4_000);
        t.Heard(1_000);

        Assert.Equal(2_000, t.HeardMs(0, 10_000));
        Assert.Equal(4_000, t.LastHeardMs);
    }

    /// <summary>Differential: the timeline against the definition (pairs of consecutive heartbeats at most the gap apart
    /// make the span between them heard), on random heartbeat trains and windows.</summary>
    [Fact]
    public void HeardMs_RandomHeartbeats_MatchesPairwiseDefinition()
    {
        var gen =
            from gaps in Gen.ListOf(Gen.Choose(1, 4_000))
            from start in Gen.Choose(0, 60_000)
            from length in Gen.Choose(0, 60_000)
            select (gaps, start, length);
        Prop.ForAll(gen.ToArbitrary(), input =>
        {
            const long maxGap = 1_500;
            var (gaps, start, length) = input;
            var beats = new List<long>();
            long at = 0;
            foreach (var g in gaps)
                beats.Add(at += g);
            var t = new HeardTimeline(maxGap);
            foreach (var b in beats)
                t.Heard(b);

            return t.HeardMs(start, start + length) == Pairwise(beats, start, start + length, maxGap);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Seed_HeartbeatWithinGapOfStoredEnd_ContinuesTheStoredPeriod()
    {
        // A coordinator stored "heard from 0 through 10 s" and restarted; the host is heard again 2 s later.
        var t = new HeardTimeline(maxGapMs: 2_500);
        t.Seed(0, 10_000);
        t.Heard(12_000);
        t.Heard(13_000);

        Assert.Equal(13_000, t.HeardMs(0, 20_000));
        Assert.Equal(13_000, t.LastHeardMs);
        Assert.Equal(0, t.HeardSinceMs(13_000));
    }

    [Fact]
    public void Seed_HeartbeatAfterALongerSilence_StoredPeriodHeardButNotTheSilence()
    {
        var t = new HeardTimeline(maxGapMs: 2_500);
        t.Seed(0, 10_000);
        t.Heard(20_000);
        t.Heard(21_000);

        Assert.Equal(11_000, t.HeardMs(0, 30_000));
        Assert.Equal(0, t.HeardMs(10_000, 20_000));
        Assert.Equal(20_000, t.HeardSinceMs(21_000));
    }

    [Fact]
    public void Seed_EndBeforeStart_SeedsNothing()
    {
        var t = new HeardTimeline(maxGapMs: 2_500);
        t.Seed(5_000, 4_000);
        t.Heard(5_000);
        t.Heard(6_000);

        Assert.Equal(1_000, t.HeardMs(0, 10_000));
        Assert.Equal(5_000, t.HeardSinceMs(6_000));
    }

    [Fact]
    public void Seed_AfterAHeartbeat_Throws()
    {
        var t = new HeardTimeline(maxGapMs: 2_500);
        t.Heard(1_000);

        Assert.Throws<InvalidOperationException>(() => t.Seed(0, 500));
    }

    [Fact]
    public void HeardSinceMs_StartOfThePeriodHoldingTheTime_NoneWhenUnheard()
    {
        var t = new HeardTimeline(maxGapMs: 2_500);
        foreach (var ms in new long[] { 0, 1_000, 2_000, 10_000, 11_000 })
            t.Heard(ms);

        Assert.Equal(0, t.HeardSinceMs(2_000));
        Assert.Equal(10_000, t.HeardSinceMs(11_000));
        Assert.Null(t.HeardSinceMs(5_000));
        Assert.Null(t.HeardSinceMs(12_000));
    }

    /// <summary>A coordinator hears a random heartbeat train, stores (since, last) as of the heartbeat it last stored,
    /// crashes, misses the heartbeats of its outage, and a new one seeded from the store hears the rest: the new one
    /// never counts time as heard that the whole train does not (nothing unheard is billed), and loses at most the span
    /// from the stored heartbeat to the first one it hears (never the stored period).</summary>
    [Fact]
    public void Seed_FromWhatACrashedCoordinatorStored_LosesAtMostTheOutage()
    {
        var gen =
            from gaps in Gen.ListOf(Gen.Choose(1, 4_000)).Where(g => g.Count >= 3)
            from cut in Gen.Choose(0, 1_000)
            from lag in Gen.Choose(0, 3)
            from outage in Gen.Choose(1, 4)
            from start in Gen.Choose(0, 60_000)
            from length in Gen.Choose(0, 60_000)
            select (gaps, cut, lag, outage, start, length);
        Prop.ForAll(gen.ToArbitrary(), input =>
        {
            const long maxGap = 1_500;
            var (gaps, cut, lag, outage, start, length) = input;
            var beats = new List<long>();
            long at = 0;
            foreach (var g in gaps)
                beats.Add(at += g);
            // The old coordinator hears beats[0..crash]; it stored beats[stored]; the new one hears beats[resumed..].
            var crash = cut % (beats.Count - 1);
            var stored = Math.Max(0, crash - lag);
            var resumed = Math.Min(beats.Count - 1, crash + outage);
            var before = new HeardTimeline(maxGap);
            foreach (var b in beats.Take(crash + 1))
                before.Heard(b);
            // A lone heartbeat after a silence is in no period: the coordinator stores a heard-since after it.
            var since = before.HeardSinceMs(beats[stored]) ?? beats[stored] + 1;

            var after = new HeardTimeline(maxGap);
            after.Seed(since, beats[stored]);
            since = Math.Min(since, beats[stored]);
            foreach (var b in beats.Skip(resumed))
                after.Heard(b);

            var (from, to) = (Math.Max(start, since), Math.Max(start, since) + length);
            var heard = after.HeardMs(from, to);
            var whole = Pairwise(beats, from, to, maxGap);
            var lost = Math.Max(0, Math.Min(to, beats[resumed]) - Math.Max(from, beats[stored]));
            return heard <= whole && heard >= whole - lost;
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>The definition: pairs of consecutive heartbeats at most the gap apart make the span between them heard.</summary>
    private static long Pairwise(List<long> beats, long from, long to, long maxGap)
    {
        long heard = 0;
        for (var i = 1; i < beats.Count; i++)
        {
            if (beats[i] - beats[i - 1] <= maxGap)
                heard += Math.Max(0, Math.Min(to, beats[i]) - Math.Max(from, beats[i - 1]));
        }

        return heard;
    }
}

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

            long expected = 0;
            for (var i = 1; i < beats.Count; i++)
            {
                if (beats[i] - beats[i - 1] <= maxGap)
                    expected += Math.Max(0, Math.Min(start + length, beats[i]) - Math.Max(start, beats[i - 1]));
            }

            return t.HeardMs(start, start + length) == expected;
        }).QuickCheckThrowOnFailure();
    }
}

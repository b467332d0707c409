using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class HostReputationTests
{
    private static readonly Gen<HostTrackRecord> Records =
        from capacityPassed in Gen.Choose(0, 400)
        from capacityFailed in Gen.Choose(0, 20)
        from up in Gen.Choose(0, 200_000)
        from down in Gen.Choose(0, 20_000)
        from completed in Gen.Choose(0, 500)
        from interrupted in Gen.Choose(0, 100)
        select new HostTrackRecord(capacityPassed, capacityFailed, up, down, completed, interrupted);

    [Fact]
    public void Of_NoRecordYet_IsTheNeutralPriorNotFullTrust()
    {
        Assert.Equal(0.5, HostReputation.Of(HostTrackRecord.None), 12);
    }

    [Fact]
    public void Of_AMonthOfCleanRecord_IsNearOne()
    {
        var month = new HostTrackRecord(CapacityPassed: 60, 0, LivenessPassed: 43_200, 0, LeasesCompleted: 200, 0);

        Assert.InRange(HostReputation.Of(month), 0.97, 1);
    }

    [Fact]
    public void Of_OneFailedCapacityCheck_WeighsMoreThanADayOffline()
    {
        var clean = new HostTrackRecord(30, 0, 43_200, 0, 100, 0);
        var caughtOnce = clean with { CapacityFailed = 1 };
        var offlineADay = clean with { LivenessFailed = 1_440, LeasesInterrupted = 5 };

        Assert.True(HostReputation.Of(caughtOnce) < HostReputation.Of(offlineADay));
        Assert.True(HostReputation.Of(new HostTrackRecord(0, 1, 60, 0, 0, 0)) < 0.35, "a host caught at its first capacity check stays well below a new host");
    }

    [Fact]
    public void Of_NegativeCount_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HostReputation.Of(HostTrackRecord.None with { LivenessFailed = -1 }));
    }

    [Property(MaxTest = 500)]
    public Property Of_AnyRecord_IsBetweenZeroAndOne() =>
        Prop.ForAll(Records.ToArbitrary(), r => HostReputation.Of(r) is >= 0 and <= 1);

    [Property(MaxTest = 500)]
    public Property Of_MoreGoodEvidence_NeverLowersIt() =>
        Prop.ForAll(Records.ToArbitrary(), Gen.Choose(1, 1_000).ToArbitrary(), (r, more) =>
        {
            var before = HostReputation.Of(r);
            return HostReputation.Of(r with { CapacityPassed = r.CapacityPassed + more }) >= before
                && HostReputation.Of(r with { LivenessPassed = r.LivenessPassed + more }) >= before
                && HostReputation.Of(r with { LeasesCompleted = r.LeasesCompleted + more }) >= before;
        });

    [Property(MaxTest = 500)]
    public Property Of_MoreBadEvidence_NeverRaisesIt() =>
        Prop.ForAll(Records.ToArbitrary(), Gen.Choose(1, 1_000).ToArbitrary(), (r, more) =>
        {
            var before = HostReputation.Of(r);
            return HostReputation.Of(r with { CapacityFailed = r.CapacityFailed + more }) <= before
                && HostReputation.Of(r with { LivenessFailed = r.LivenessFailed + more }) <= before
                && HostReputation.Of(r with { LeasesInterrupted = r.LeasesInterrupted + more }) <= before;
        });
}

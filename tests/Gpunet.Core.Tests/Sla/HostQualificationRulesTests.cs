using Gpunet.Core.Sla;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Sla;

public sealed class HostQualificationRulesTests
{
    // The enterprise defaults: 99.9 % uptime, 99 % of capacity checks, 98 % of leases completed.
    private static readonly HostQualification Enterprise = new(0.999, 0.99, 0.98);

    // A month of liveness at one a minute, clean.
    private static readonly HostTrackRecord Clean = new(CapacityPassed: 100, 0, LivenessPassed: 43_200, 0, LeasesCompleted: 100, 0);

    [Fact]
    public void Shortfall_NoRecordAtAll_Qualifies()
    {
        Assert.Null(HostQualificationRules.Shortfall(Enterprise, HostTrackRecord.None));
    }

    [Fact]
    public void Shortfall_OnlyUptimeKnown_JudgesUptimeAlone()
    {
        var onlyLiveness = HostTrackRecord.None with { LivenessPassed = 982, LivenessFailed = 18 };

        Assert.Equal("uptime 98.20 % < 99.90 %", HostQualificationRules.Shortfall(Enterprise, onlyLiveness));
        Assert.Null(HostQualificationRules.Shortfall(Enterprise, onlyLiveness with { LivenessFailed = 0 }));
    }

    [Fact]
    public void Shortfall_ACleanMonth_Qualifies()
    {
        Assert.True(HostQualificationRules.Qualifies(Enterprise, Clean));
    }

    [Fact]
    public void Shortfall_ExactlyAtEachBound_Qualifies()
    {
        var atBounds = new HostTrackRecord(CapacityPassed: 99, 1, LivenessPassed: 999, 1, LeasesCompleted: 49, 1);

        Assert.Null(HostQualificationRules.Shortfall(Enterprise, atBounds));
    }

    [Fact]
    public void Shortfall_OneBelowEachBound_NamesThatKindWithFigures()
    {
        Assert.Equal("uptime 99.80 % < 99.90 %", HostQualificationRules.Shortfall(Enterprise, Clean with { LivenessPassed = 998, LivenessFailed = 2 }));
        Assert.Equal("check pass rate 98.00 % < 99.00 %", HostQualificationRules.Shortfall(Enterprise, Clean with { CapacityPassed = 98, CapacityFailed = 2 }));
        Assert.Equal("lease completion 97.00 % < 98.00 %", HostQualificationRules.Shortfall(Enterprise, Clean with { LeasesCompleted = 97, LeasesInterrupted = 3 }));
    }

    [Fact]
    public void Shortfall_SeveralShortfalls_NamesUptimeFirst()
    {
        var poor = new HostTrackRecord(1, 1, 90, 10, 1, 1);

        Assert.Equal("uptime 90.00 % < 99.90 %", HostQualificationRules.Shortfall(Enterprise, poor));
    }

    [Fact]
    public void Shortfall_EqualAtTwoDecimals_ShowsMoreDecimals()
    {
        // 99.903 % against 99.904 %: both are 99.90 % at two decimals.
        var record = HostTrackRecord.None with { LivenessPassed = 99_903, LivenessFailed = 97 };

        Assert.Equal("uptime 99.903 % < 99.904 %", HostQualificationRules.Shortfall(new HostQualification(0.99904, 0, 0), record));
    }

    [Fact]
    public void Shortfall_JustBelowTheBound_NeverRoundsTheMeasureUp()
    {
        // 99.8999 % would round to 99.90 %, which is no shortfall.
        var justBelow = Clean with { LivenessPassed = 998_999, LivenessFailed = 1_001 };

        Assert.Equal("uptime 99.89 % < 99.90 %", HostQualificationRules.Shortfall(Enterprise, justBelow));
    }

    [Fact]
    public void Shortfall_NoRequirement_QualifiesEvenTheWorstRecord()
    {
        Assert.Null(HostQualificationRules.Shortfall(HostQualification.Any, new HostTrackRecord(0, 50, 0, 43_200, 0, 9)));
    }

    [Fact]
    public void Shortfall_NegativeCount_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HostQualificationRules.Shortfall(Enterprise, Clean with { LeasesInterrupted = -1 }));
    }
}

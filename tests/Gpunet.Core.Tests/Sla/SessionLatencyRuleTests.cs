using Gpunet.Core.Marketplace;
using Gpunet.Core.Sla;

namespace Gpunet.Core.Tests.Sla;

public sealed class SessionLatencyRuleTests
{
    // The enterprise default: a session's round trip at most 50 ms.
    private static readonly SlaTier Enterprise = new("enterprise", 0.999m, TimeSpan.FromMinutes(2), 50, 0.9, [new CreditStep(0.999m, 10)], 50,
        HostQualification.Any);

    [Fact]
    public void Refusal_NoRoundTripsYet_Passes()
    {
        Assert.Null(SessionLatencyRule.Refusal(Enterprise, []));
    }

    [Fact]
    public void Refusal_MedianAboveTheBound_NamesTheMedianAndTheTier()
    {
        // One fast checker does not carry a host whose other checkers see it slow.
        Assert.Equal("round trip 120 ms > enterprise's 50 ms", SessionLatencyRule.Refusal(Enterprise, [20, 120, 130]));
    }

    [Fact]
    public void Refusal_OneSlowCheckerAmongFastOnes_Passes()
    {
        Assert.Null(SessionLatencyRule.Refusal(Enterprise, [30, 400, 25]));
    }

    [Fact]
    public void Refusal_MedianExactlyAtTheBound_Passes()
    {
        // An even count: the mean of the middle two, 40 and 60.
        Assert.Null(SessionLatencyRule.Refusal(Enterprise, [10, 40, 60, 90]));
        Assert.Null(SessionLatencyRule.Refusal(Enterprise, [50]));
    }

    [Fact]
    public void Refusal_JustAboveTheBound_ShowsEnoughDecimalsToTellThemApart()
    {
        Assert.Equal("round trip 50.04 ms > enterprise's 50.00 ms", SessionLatencyRule.Refusal(Enterprise, [50.049]));
    }

    [Fact]
    public void Median_EvenAndOddCounts_TakesTheMiddle()
    {
        Assert.Null(SessionLatencyRule.Median([]));
        Assert.Equal(7, SessionLatencyRule.Median([7]));
        Assert.Equal(5, SessionLatencyRule.Median([9, 1, 5]));
        Assert.Equal(4.5, SessionLatencyRule.Median([8, 1, 3, 6]));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Median_ANonsenseRoundTrip_Throws(double ms)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SessionLatencyRule.Median([20, ms]));
    }

    [Theory]
    [InlineData(WorkloadKind.Session, true)]
    [InlineData(WorkloadKind.Service, true)]
    [InlineData(WorkloadKind.Job, false)]
    public void Applies_ByKind_OnlySessionsAndServices(WorkloadKind kind, bool applies)
    {
        Assert.Equal(applies, SessionLatencyRule.Applies(kind));
    }
}

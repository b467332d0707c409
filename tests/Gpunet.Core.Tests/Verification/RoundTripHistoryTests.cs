using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class RoundTripHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly CapacityTimingOptions Bands = new();

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void Allowance_HostThatDelaysTheCapacityChecksPings_IsStillTooSlow()
    {
        // A card at 0.8 of the claimed speed, 40 ms away: it answered the checker's
        // liveness pings in 40 ms, then held the capacity check's pings 2 s each to widen its allowance.
        const string model = "H100-SXM5-80GB";
        var products = CapacityTiming.ProductsFor(model, 2048, Bands);
        var expected = CapacityTiming.ExpectedTime(model, 2048, products);
        var measured = (expected / 0.8) + Ms(40);
        var delayed = Ms(2_040);
        var history = new RoundTripHistory(RoundTripHistory.DefaultWindow);
        history.Record("h1", Ms(40), T0);

        var allowance = history.Allowance("h1", delayed, T0.AddHours(3));

        Assert.Equal(Ms(40), allowance);
        Assert.True(CapacityTiming.Judge(model, 2048, products, measured, delayed, Bands).Passed, "judged on the delayed pings alone, it passes");
        Assert.False(CapacityTiming.Judge(model, 2048, products, measured, allowance, Bands).Passed);
    }

    [Fact]
    public void Allowance_NothingSeenBefore_IsThisChecksPings()
    {
        var history = new RoundTripHistory(RoundTripHistory.DefaultWindow);

        Assert.Equal(Ms(55), history.Allowance("h1", Ms(55), T0));
        Assert.Equal(Ms(55), history.Smallest("h1", T0.AddMinutes(1)));
    }

    [Fact]
    public void Smallest_KeepsTheLeastWithinTheWindow_ThenForgetsIt()
    {
        var history = new RoundTripHistory(TimeSpan.FromHours(24));
        history.Record("h1", Ms(30), T0);
        history.Record("h1", Ms(50), T0.AddHours(12));
        history.Record("h1", Ms(45), T0.AddHours(13));
        history.Record("h1", Ms(60), T0.AddHours(14));

        Assert.Equal(Ms(30), history.Smallest("h1", T0.AddHours(23)));
        // The 30 ms sample is a day old: the least of the rest.
        Assert.Equal(Ms(45), history.Smallest("h1", T0.AddHours(24)));
        Assert.Equal(Ms(60), history.Smallest("h1", T0.AddHours(37)));
        Assert.Null(history.Smallest("h1", T0.AddHours(38)));
        Assert.Null(history.Smallest("h2", T0));
    }

    [Fact]
    public void Record_MoreHostsThanKept_ForgetsTheOneHeardLongestAgo()
    {
        var history = new RoundTripHistory(RoundTripHistory.DefaultWindow, maxHosts: 2);
        history.Record("old", Ms(10), T0);
        history.Record("new", Ms(20), T0.AddMinutes(5));
        history.Record("newest", Ms(30), T0.AddMinutes(6));

        Assert.Null(history.Smallest("old", T0.AddMinutes(7)));
        Assert.Equal(Ms(20), history.Smallest("new", T0.AddMinutes(7)));
        Assert.Equal(Ms(30), history.Smallest("newest", T0.AddMinutes(7)));
    }

    [Fact]
    public void Record_MoreHostsThanKept_KeepsAHostHeardAgain_OverOneHeardOnceSinceItsFirst()
    {
        var history = new RoundTripHistory(RoundTripHistory.DefaultWindow, maxHosts: 2);
        history.Record("old", Ms(10), T0);
        history.Record("new", Ms(20), T0.AddMinutes(5));
        history.Record("old", Ms(15), T0.AddMinutes(6));
        history.Record("newest", Ms(30), T0.AddMinutes(7));

        Assert.Equal(Ms(10), history.Smallest("old", T0.AddMinutes(8)));
        Assert.Null(history.Smallest("new", T0.AddMinutes(8)));
        Assert.Equal(Ms(30), history.Smallest("newest", T0.AddMinutes(8)));
    }

    [Fact]
    public void Record_NegativeRoundTrip_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RoundTripHistory(RoundTripHistory.DefaultWindow).Record("h1", Ms(-1), T0));
    }
}

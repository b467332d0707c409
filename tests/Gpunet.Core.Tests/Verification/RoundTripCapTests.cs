using FsCheck;
using FsCheck.Fluent;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class RoundTripCapTests
{
    private static readonly CapacityTimingOptions Bands = new();
    private static readonly LocationPoint Frankfurt = new(50.11, 8.68);
    private static readonly LocationPoint Paris = new(48.86, 2.35);
    private static readonly LocationPoint Tokyo = new(35.68, 139.69);

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void AHostThatHeldTheRegistrationChecksPings_ToAnUnseenChecker_IsStillTooSlow_ButNotWithoutTheCap()
    {
        // A card at 0.8 of the claimed speed in Paris, 10 ms from a checker in Frankfurt that has never seen it: it held
        // the capacity check's pings 2 s each, so this check's own pings are all the checker has.
        const string model = "H100-SXM5-80GB";
        var products = CapacityTiming.ProductsFor(model, 2048, Bands);
        var measured = (CapacityTiming.ExpectedTime(model, 2048, products) / 0.8) + Ms(10);
        var held = new RoundTripHistory(RoundTripHistory.DefaultWindow).Allowance("h1", Ms(2_010), DateTimeOffset.UnixEpoch);

        var capped = RoundTripCap.Apply(held, RoundTripCap.For(Frankfurt, Paris, RoundTripCap.DefaultFloor));

        Assert.True(CapacityTiming.Judge(model, 2048, products, measured, held, Bands).Passed, "on the held pings alone it passes");
        Assert.False(CapacityTiming.Judge(model, 2048, products, measured, capped, Bands).Passed);
    }

    [Fact]
    public void AnHonestHost_AtItsDeclaredPlace_OnTheDelayModelsSlowestRoute_IsNeverCapped()
    {
        // The delay model's slowest honest round trip: route 1.5 and 5 ms of last miles, 30 % slow.
        var model = LocationDelayModel.Default;
        foreach (var (checker, host) in new[] { (Frankfurt, Paris), (Frankfurt, Tokyo), (Tokyo, Paris), (Paris, Paris) })
        {
            var km = checker.DistanceKm(host);
            var slowest = (km / model.FloorKmPerMsOfRoundTrip) + (1.3 * ((km * (model.RouteFactor - 1) / model.FloorKmPerMsOfRoundTrip) + model.LastMilesMs));
            var cap = RoundTripCap.For(checker, host, RoundTripCap.DefaultFloor);
            Assert.Equal(Ms(slowest), RoundTripCap.Apply(Ms(slowest), cap));
        }
    }

    [Fact]
    public void TheCap_IsTheFloorNextDoor_AndGrowsByThreeTimesTheGreatCircleInFibre()
    {
        Assert.Equal(RoundTripCap.DefaultFloor, RoundTripCap.For(Paris, Paris, RoundTripCap.DefaultFloor));
        var km = Frankfurt.DistanceKm(Tokyo);
        var cap = RoundTripCap.For(Frankfurt, Tokyo, Ms(100));
        Assert.Equal(100 + (km * 3 / LocationDelayModel.FibreKmPerMsOfRoundTrip), cap.TotalMilliseconds, 2);
        Assert.InRange(cap.TotalMilliseconds, 350, 400);
        Assert.Throws<ArgumentOutOfRangeException>(() => RoundTripCap.For(Paris, Tokyo, TimeSpan.Zero));
    }

    [Fact]
    public void Apply_WithoutACap_KeepsTheAllowance_AndNeverRaisesIt()
    {
        Assert.Equal(Ms(500), RoundTripCap.Apply(Ms(500), null));
        Assert.Equal(Ms(500), RoundTripCap.Apply(Ms(500), TimeSpan.Zero));
        Assert.Equal(Ms(20), RoundTripCap.Apply(Ms(20), Ms(150)));
        Assert.Equal(Ms(150), RoundTripCap.Apply(Ms(900), Ms(150)));
    }

    [Fact]
    public void Apply_IsTheSmallerOfTheTwo_ForAnyAllowanceAndCap()
    {
        Prop.ForAll(Gen.Choose(0, 5_000_000).ToArbitrary(), Gen.Choose(1, 5_000_000).ToArbitrary(), (allowanceUs, capUs) =>
        {
            var allowance = TimeSpan.FromMicroseconds(allowanceUs);
            var cap = TimeSpan.FromMicroseconds(capUs);
            return RoundTripCap.Apply(allowance, cap) == (allowance < cap ? allowance : cap);
        }).QuickCheckThrowOnFailure();
    }
}

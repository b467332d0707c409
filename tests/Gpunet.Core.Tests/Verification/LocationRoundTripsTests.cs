using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class LocationRoundTripsTests
{
    private static readonly Address Frankfurt = Address.Parse("0x" + new string('1', 40));
    private static readonly Address Ashburn = Address.Parse("0x" + new string('2', 40));
    private static readonly LocationPoint FrankfurtAt = new(50.11, 8.68);
    private static readonly LocationPoint AshburnAt = new(39.04, -77.49);
    private static readonly LocationPoint Paris = new(48.86, 2.35);
    private static readonly LocationPoint Moscow = new(55.76, 37.62);

    [Fact]
    public void FibreKmPerMsOfRoundTrip_LightInGlass_IsAbout100KmPerMs() =>
        Assert.Equal(102.14, LocationDelayModel.FibreKmPerMsOfRoundTrip, 2);

    [Fact]
    public void Evaluate_HostWhereItsRoundTripsSay_Consistent()
    {
        // Paris is 480 km from Frankfurt and 6,200 km from Ashburn: round trips as the matcher's latency model predicts.
        var verdict = LocationRoundTrips.Evaluate(Paris, [new(Frankfurt, FrankfurtAt, 12.2), new(Ashburn, AshburnAt, 98)]);

        Assert.Equal(LocationRoundTripFinding.Consistent, verdict.Finding);
        Assert.False(verdict.Flagged);
        Assert.Empty(verdict.Breaches);
        Assert.Equal(2, verdict.Bounds.Count);
    }

    [Fact]
    public void Evaluate_DeclaredBeyondLightsReach_ImpossibleNamingCheckerAndKm()
    {
        // 5 ms from Frankfurt: light in fibre reaches 511 km; Moscow is 2,020 km away.
        var verdict = LocationRoundTrips.Evaluate(Moscow, [new(Frankfurt, FrankfurtAt, 5)]);

        Assert.Equal(LocationRoundTripFinding.Inconsistent, verdict.Finding);
        Assert.True(verdict.Impossible);
        var breach = Assert.Single(verdict.Breaches);
        Assert.Equal(Frankfurt, breach.Bound.Checker);
        Assert.Equal(LocationBreachKind.BeyondReach, breach.Kind);
        Assert.Equal(breach.DeclaredKm - (5 * LocationDelayModel.FibreKmPerMsOfRoundTrip), breach.ByKm, 6);
        Assert.InRange(breach.ByKm, 1500, 1520);
        Assert.Contains("impossible", breach.Explain(), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_DeclaredNearCheckerButAnsweringSlowly_NearerThanPlausible()
    {
        // A host in Moscow (≈ 35 ms from Frankfurt) declaring Paris: physics allows it (it may have added delay), the
        // delay model does not.
        var verdict = LocationRoundTrips.Evaluate(Paris, [new(Frankfurt, FrankfurtAt, 35)]);

        Assert.True(verdict.Flagged);
        Assert.False(verdict.Impossible);
        var breach = Assert.Single(verdict.Breaches);
        Assert.Equal(LocationBreachKind.NearerThanPlausible, breach.Kind);
        Assert.Equal(breach.Bound.MinPlausibleKm - breach.DeclaredKm, breach.ByKm, 6);
    }

    [Fact]
    public void Evaluate_NoProbes_UnmeasuredAndFlagged()
    {
        var verdict = LocationRoundTrips.Evaluate(Paris, []);

        Assert.Equal(LocationRoundTripFinding.Unmeasured, verdict.Finding);
        Assert.True(verdict.Flagged);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Evaluate_RoundTripNotAMeasurement_ThrowsNamingChecker(double ms)
    {
        var e = Assert.Throws<ArgumentException>(() => LocationRoundTrips.Evaluate(Paris, [new(Frankfurt, FrankfurtAt, ms)]));
        Assert.Contains(Frankfurt.Value, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(91, 0, "latitude")]
    [InlineData(0, -181, "longitude")]
    [InlineData(double.NaN, 0, "latitude")]
    public void Create_OffTheGlobe_ThrowsNamingCoordinate(double lat, double lon, string field) =>
        Assert.Equal(field, Assert.Throws<ArgumentOutOfRangeException>(() => LocationPoint.Create(lat, lon)).ParamName);

    private static readonly Gen<LocationPoint> PointGen =
        from lat in Gen.Choose(-89_000, 89_000)
        from lon in Gen.Choose(-180_000, 180_000)
        select new LocationPoint(lat / 1000.0, lon / 1000.0);

    // A host can add delay but never remove it: a round trip at least the true distance / 100 km per ms never puts the
    // host's true place outside its checker's disc.
    [Property(MaxTest = 500)]
    public Property Evaluate_RoundTripAtLeastLightTime_TruePlaceNeverImpossible() =>
        Prop.ForAll(PointGen.ToArbitrary(), PointGen.ToArbitrary(), Gen.Choose(0, 100_000).ToArbitrary(), (checker, host, addedUs) =>
        {
            var rtt = (checker.DistanceKm(host) / 100) + (addedUs / 1000.0);
            return !LocationRoundTrips.Evaluate(host, [new(Frankfurt, checker, rtt)]).Impossible;
        });

    // The verdict does not depend on the order the probes came in.
    [Property(MaxTest = 200)]
    public Property Evaluate_ProbesInAnyOrder_SameBreaches() =>
        Prop.ForAll(PointGen.ToArbitrary(), Gen.ArrayOf(Gen.Zip(PointGen, Gen.Choose(0, 300_000))).ToArbitrary(), (declared, raw) =>
        {
            var probes = raw.Select((p, i) => new LocationProbe(Address.Parse($"0x{i + 1:x40}"), p.Item1, p.Item2 / 1000.0)).ToList();
            var forward = LocationRoundTrips.Evaluate(declared, probes);
            var backward = LocationRoundTrips.Evaluate(declared, probes.AsEnumerable().Reverse().ToList());
            return forward.Finding == backward.Finding && forward.Breaches.SequenceEqual(backward.Breaches);
        });
}

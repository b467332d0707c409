using Gpunet.Core.Identity;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class LocationFitTests
{
    private static readonly LocationPoint Paris = new(48.86, 2.35);
    private static readonly LocationPoint Moscow = new(55.76, 37.62);
    private static readonly LocationPoint Auckland = new(-36.85, 174.76);

    private static readonly (string Name, LocationPoint At)[] Europe =
    [
        ("frankfurt", new(50.11, 8.68)), ("london", new(51.51, -0.13)), ("madrid", new(40.42, -3.70)),
        ("warsaw", new(52.23, 21.01)), ("stockholm", new(59.33, 18.07)),
    ];

    private static readonly (string Name, LocationPoint At)[] Pacific =
    [
        ("sydney", new(-33.87, 151.21)), ("tokyo", new(35.68, 139.69)), ("honolulu", new(21.31, -157.86)), ("santiago", new(-33.45, -70.67)),
    ];

    [Fact]
    public void Fit_HostInParisMeasuredFromFiveEuropeanCities_LandsWithinAFewKm()
    {
        var fit = LocationFit.Fit(Probes(Paris, Europe));

        Assert.NotNull(fit);
        Assert.True(fit.Value.DistanceKm(Paris) < 5, $"fit {fit} is {fit.Value.DistanceKm(Paris):0} km from Paris");
    }

    [Fact]
    public void Fit_RoundTripsJitteredByThirtyPercent_LandsWithinAFewHundredKm()
    {
        // The part above the fibre floor 30 % slower or faster, alternately: the worst an honest network does.
        var fit = LocationFit.Fit(Probes(Paris, Europe, jitter: [0.3, -0.3, 0.3, -0.3, 0.3]));

        Assert.NotNull(fit);
        Assert.True(fit.Value.DistanceKm(Paris) < 300, $"fit {fit} is {fit.Value.DistanceKm(Paris):0} km from Paris");
    }

    [Fact]
    public void Fit_HostAcrossTheDateLine_LandsNearIt()
    {
        // Auckland from Sydney, Tokyo, Honolulu and Santiago: the search wraps at ±180° longitude.
        var fit = LocationFit.Fit(Probes(Auckland, Pacific));

        Assert.NotNull(fit);
        Assert.True(fit.Value.DistanceKm(Auckland) < 50, $"fit {fit} is {fit.Value.DistanceKm(Auckland):0} km from Auckland");
    }

    [Fact]
    public void Fit_ProbesInAnotherOrder_SamePlace()
    {
        var probes = Probes(Paris, Europe, jitter: [0.2, -0.1, 0.25, 0, -0.2]);

        var forward = LocationFit.Fit(probes)!.Value;
        var backward = LocationFit.Fit([.. probes.Reverse()])!.Value;

        Assert.True(forward.DistanceKm(backward) < 1, $"{forward} and {backward}");
    }

    [Fact]
    public void Fit_NoProbes_Null() => Assert.Null(LocationFit.Fit([]));

    [Fact]
    public void Fit_NegativeRoundTrip_ThrowsNamingTheChecker()
    {
        var probes = Probes(Paris, Europe);
        probes[1] = probes[1] with { RoundTripMs = -1 };

        var e = Assert.Throws<ArgumentException>(() => LocationFit.Fit(probes));
        Assert.Contains(probes[1].Checker.Value, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_DeclaredMoscowButMeasuredInParis_ReplacedByTheMeasuredPlace()
    {
        var estimate = LocationFit.Estimate(Moscow, Probes(Paris, Europe, jitter: [0.1, -0.1, 0.2, 0, -0.2]));

        Assert.True(estimate.Measured);
        Assert.Equal(LocationRoundTripFinding.Inconsistent, estimate.Verdict.Finding);
        Assert.True(estimate.At.DistanceKm(Paris) < 300, $"estimate {estimate.At} is {estimate.At.DistanceKm(Paris):0} km from Paris");
    }

    [Fact]
    public void Estimate_DeclaredPlaceConsistent_KeepsTheDeclaredPlace()
    {
        // 20 km from where the round trips best fit, within every checker's band: the host's own word is more precise.
        var declared = new LocationPoint(48.95, 2.50);

        var estimate = LocationFit.Estimate(declared, Probes(Paris, Europe));

        Assert.False(estimate.Measured);
        Assert.Equal(declared, estimate.At);
        Assert.Equal(LocationRoundTripFinding.Consistent, estimate.Verdict.Finding);
    }

    [Fact]
    public void Estimate_InconsistentButOnlyTwoCheckers_KeepsTheDeclaredPlace()
    {
        // Two circles cross at two points: no place to prefer, so the declared one stays (compliance has the flag).
        var estimate = LocationFit.Estimate(Moscow, Probes(Paris, Europe[..2]));

        Assert.False(estimate.Measured);
        Assert.Equal(Moscow, estimate.At);
        Assert.Equal(LocationRoundTripFinding.Inconsistent, estimate.Verdict.Finding);
    }

    [Fact]
    public void Estimate_Unmeasured_KeepsTheDeclaredPlace()
    {
        var estimate = LocationFit.Estimate(Moscow, []);

        Assert.False(estimate.Measured);
        Assert.Equal(Moscow, estimate.At);
        Assert.Equal(LocationRoundTripFinding.Unmeasured, estimate.Verdict.Finding);
    }

    /// <summary>Round trips from each checker to <paramref name="host"/> as the default delay model has them, the part
    /// above the fibre floor stretched by each checker's jitter.</summary>
    private static LocationProbe[] Probes(LocationPoint host, (string Name, LocationPoint At)[] checkers, double[]? jitter = null)
    {
        var m = LocationDelayModel.Default;
        return [.. checkers.Select((c, i) =>
        {
            var km = c.At.DistanceKm(host);
            var above = (km * (m.RouteFactor - 1) / m.FloorKmPerMsOfRoundTrip) + m.LastMilesMs;
            var rtt = (km / m.FloorKmPerMsOfRoundTrip) + (above * (1 + (jitter?[i] ?? 0)));
            return new LocationProbe(Checker(c.Name), c.At, rtt);
        })];
    }

    private static Address Checker(string name) =>
        Address.Parse("0x" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..40]);
}

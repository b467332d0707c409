using Gpunet.Core.Marketplace;

namespace Gpunet.Core.Tests.Marketplace;

public sealed class LatencyModelTests
{
    [Fact]
    public void EstimateRttMs_SamePoint_OnlyTheLastMiles()
    {
        Assert.Equal(5, LatencyModel.EstimateRttMs(50.11, 8.68, 50.11, 8.68), 9);
    }

    [Fact]
    public void EstimateRttMs_FrankfurtToNewYork_AboutANinetyMillisecondRoundTrip()
    {
        // Great circle Frankfurt (50.11 N, 8.68 E) to New York (40.71 N, 74.01 W): about 6,200 km.
        var km = LatencyModel.DistanceKm(50.11, 8.68, 40.71, -74.01);
        var rtt = LatencyModel.EstimateRttMs(50.11, 8.68, 40.71, -74.01);

        Assert.InRange(km, 6_150, 6_250);
        Assert.Equal(5 + (km * 2 * 1.5 / 200), rtt, 9);
        Assert.Equal(rtt, LatencyModel.EstimateRttMs(40.71, -74.01, 50.11, 8.68), 9);
    }

    [Fact]
    public void DistanceKm_Antipodes_HalfTheEarthsCircumference()
    {
        Assert.Equal(Math.PI * LatencyModel.EarthRadiusKm, LatencyModel.DistanceKm(0, 0, 0, 180), 6);
        Assert.Equal(Math.PI * LatencyModel.EarthRadiusKm, LatencyModel.DistanceKm(90, 0, -90, 0), 6);
    }

    [Fact]
    public void DistanceKm_AgreesWithTheTextbookHaversine()
    {
        (double, double, double, double)[] pairs = [(52.52, 13.40, 48.86, 2.35), (35.68, 139.69, -33.87, 151.21), (0, 179.9, 0, -179.9), (10, 20, 10.0001, 20)];
        foreach (var (lat1, lon1, lat2, lon2) in pairs)
        {
            var (p1, p2) = (double.DegreesToRadians(lat1), double.DegreesToRadians(lat2));
            var dp = p2 - p1;
            var dl = double.DegreesToRadians(lon2 - lon1);
            var a = (Math.Sin(dp / 2) * Math.Sin(dp / 2)) + (Math.Cos(p1) * Math.Cos(p2) * Math.Sin(dl / 2) * Math.Sin(dl / 2));
            var expected = 2 * LatencyModel.EarthRadiusKm * Math.Asin(Math.Sqrt(a));

            Assert.Equal(expected, LatencyModel.DistanceKm(lat1, lon1, lat2, lon2), 6);
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(18.25)]
    [InlineData(150)]
    [InlineData(299)]
    public void HaversineForRtt_InvertsTheRoundTrip(double rttMs)
    {
        Assert.Equal(rttMs, LatencyModel.RttMs(LatencyModel.HaversineForRtt(rttMs)), 6);
    }

    [Fact]
    public void HaversineForRtt_BelowTheLastMilesOrBeyondTheAntipodes_NothingOrEverything()
    {
        Assert.True(LatencyModel.HaversineForRtt(4.9) < 0);
        Assert.Equal(1, LatencyModel.HaversineForRtt(10_000));
    }
}

using BenchmarkDotNet.Attributes;
using Gpunet.Core.Identity;
using Gpunet.Core.Marketplace;
using Gpunet.Core.Verification;

namespace Gpunet.Benchmarks;

/// <summary>One fit of a host's place from its checkers' round trips (the coordinator runs one per liveness decision of
/// a host whose declared place the round trips contradict).</summary>
[MemoryDiagnoser]
public class LocationFitBenchmarks
{
    private static readonly LocationPoint Host = new(48.86, 2.35);
    private LocationProbe[] _probes = [];

    [Params(3, 5, 16)]
    public int Checkers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (double Lat, double Lon)[] places =
        [
            (50.11, 8.68), (51.51, -0.13), (40.42, -3.70), (52.23, 21.01), (59.33, 18.07), (40.71, -74.01), (35.68, 139.69), (-33.87, 151.21),
            (1.35, 103.82), (19.43, -99.13), (-23.55, -46.63), (55.76, 37.62), (28.61, 77.21), (30.04, 31.24), (-1.29, 36.82), (37.77, -122.42),
        ];
        _probes = [.. places.Take(Checkers).Select((p, i) => new LocationProbe(
            Address.Parse("0x" + (i + 1).ToString("x40", System.Globalization.CultureInfo.InvariantCulture)), new LocationPoint(p.Lat, p.Lon),
            LatencyModel.EstimateRttMs(p.Lat, p.Lon, Host.Latitude, Host.Longitude)))];
    }

    [Benchmark]
    public LocationPoint? Fit() => LocationFit.Fit(_probes);
}

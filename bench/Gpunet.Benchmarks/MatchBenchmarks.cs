using BenchmarkDotNet.Attributes;
using Gpunet.Core.Marketplace;
using Gpunet.Core.Scheduling;

namespace Gpunet.Benchmarks;

/// <summary>One order matched (chosen, allocated, then released so that every operation sees the same cluster) on
/// a half-used marketplace of 10,000 hosts (80,000 GPUs) in eight countries, with FGD; per ranking, with a latency
/// limit, a two-host gang, and an order that fails (the reasons are worked out).</summary>
[MemoryDiagnoser]
public class MatchBenchmarks
{
    private OrderMatcher _matcher = null!;
    private OrderSpec _oneGpu = null!;

    [Params(10_000)]
    public int Hosts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string[] models = ["H100-SXM5-80GB", "A100-SXM4-80GB", "L4-24GB", "H100-PCIe-80GB"];
        (string Country, double Lat, double Lon)[] places =
        [
            ("DE", 50.11, 8.68), ("FR", 48.86, 2.35), ("NL", 52.37, 4.90), ("PL", 52.23, 21.01),
            ("US", 39.04, -77.49), ("US", 37.34, -121.89), ("JP", 35.68, 139.69), ("SG", 1.35, 103.82),
        ];
        _matcher = new OrderMatcher(new FgdPolicy(WorkloadDistribution.From(HalfUsedCluster.Mix)));
        for (var i = 0; i < Hosts; i++)
        {
            var (country, lat, lon) = places[i % places.Length];
            var price = 1.50m + (i % 17 * 0.10m);
            var node = _matcher.AddHost(new NodeSpec("", 96_000, 786_432, 8, models[i % models.Length]),
                new HostOffer($"host-{i:x6}", country, "r", lat + (i % 7 * 0.1), lon, price, 0.9 + (i % 11 * 0.01)));
            _matcher.SetAvailable(node, i % 20 != 0);
        }

        HalfUsedCluster.Fill(_matcher.Cluster);
        _oneGpu = new OrderSpec
        {
            Models = ["H100"],
            GpusPerHost = 1,
            CpuMilliPerHost = 4_000,
            MemoryMibPerHost = 16_384,
            MaxPriceUsdPerGpuHour = 3m,
        };
        MatchOneGpu();
    }

    [Benchmark]
    public MatchResult MatchOneGpu() => MatchRelease(_oneGpu);

    [Benchmark]
    public MatchResult MatchOneGpuLowestFee() => MatchRelease(_oneGpu with { Ranking = Ranking.LowestFee });

    [Benchmark]
    public MatchResult MatchOneGpuWithin30MsOfBerlin() =>
        MatchRelease(_oneGpu with { Ranking = Ranking.BestExperience, LatencyFrom = (52.52, 13.40), MaxLatencyMs = 30 });

    [Benchmark]
    public MatchResult MatchOneGpuInDeOrFr() => MatchRelease(_oneGpu with { AllowedCountries = ["DE", "FR"] });

    [Benchmark]
    public MatchResult MatchTwoHostGang() => MatchRelease(_oneGpu with { GpusPerHost = 4, Hosts = 2 });

    [Benchmark]
    public MatchResult MatchFailsTooDear() => MatchRelease(_oneGpu with { MaxPriceUsdPerGpuHour = 1m });

    private MatchResult MatchRelease(OrderSpec order)
    {
        var result = _matcher.Match(order);
        if (result is Matched m)
        {
            foreach (var p in m.Placements)
                _matcher.Release(p);
        }

        return result;
    }
}

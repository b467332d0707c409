using BenchmarkDotNet.Attributes;
using Gpunet.Core.Scheduling;

namespace Gpunet.Benchmarks;

/// <summary>One placement decision (choose only, nothing committed, unless named PlaceRelease) on a half-used cluster of 10,000 hosts
/// (80,000 GPUs), per policy and request shape.</summary>
[MemoryDiagnoser]
public class PlacementBenchmarks
{
    private ClusterCapacity _cluster = null!;
    private FgdPolicy _fgd = null!;
    private MultiResourceFgdPolicy _fgdMr = null!;
    private BestFitPolicy _bestFit = null!;
    private RandomFitPolicy _randomFit = null!;
    private PlacementRequest _whole = null!;
    private PlacementRequest _fraction = null!;

    [Params(10_000)]
    public int Hosts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string[] models = ["H100", "A100", "T4", "L4"];
        _cluster = new ClusterCapacity([.. Enumerable.Range(0, Hosts).Select(i =>
            new NodeSpec($"h{i}", 96_000, 786_432, 8, models[i % models.Length]))]);
        HalfUsedCluster.Fill(_cluster);
        _fgd = new FgdPolicy(WorkloadDistribution.From(HalfUsedCluster.Mix));
        _bestFit = new BestFitPolicy();
        _randomFit = new RandomFitPolicy(1);
        _whole = new PlacementRequest(4_000, 16_384, 1, 1000);
        _fraction = new PlacementRequest(2_000, 8_192, 1, 300);
        _fgd.Choose(_cluster, _whole);
        _fgdMr = new MultiResourceFgdPolicy(WorkloadDistribution.From(HalfUsedCluster.Mix, 0, byCpu: true), learn: false);
        _fgdMr.Choose(_cluster, _whole);
    }

    [Benchmark]
    public Placement? FgdWhole() => _fgd.Choose(_cluster, _whole);

    [Benchmark]
    public Placement? FgdFraction() => _fgd.Choose(_cluster, _fraction);

    /// <summary>A durable decision: choose, take, give back. Two node changes per operation, so FGD's per-node
    /// cache misses on the node that changed and hits on the rest.</summary>
    [Benchmark]
    public Placement? FgdWholePlaceRelease() => PlaceRelease(_fgd, _whole);

    [Benchmark]
    public Placement? FgdFractionPlaceRelease() => PlaceRelease(_fgd, _fraction);

    /// <summary>The default policy (fgd-mr): FGD over GPU, CPU and memory, plus the homes' cost and best-fit.</summary>
    [Benchmark]
    public Placement? FgdMrWhole() => _fgdMr.Choose(_cluster, _whole);

    [Benchmark]
    public Placement? FgdMrWholePlaceRelease() => PlaceRelease(_fgdMr, _whole);

    [Benchmark]
    public Placement? FgdMrFractionPlaceRelease() => PlaceRelease(_fgdMr, _fraction);

    [Benchmark]
    public Placement? BestFitWhole() => _bestFit.Choose(_cluster, _whole);

    [Benchmark]
    public Placement? BestFitWholePlaceRelease() => PlaceRelease(_bestFit, _whole);

    [Benchmark]
    public Placement? RandomFitWhole() => _randomFit.Choose(_cluster, _whole);

    private Placement? PlaceRelease(IPlacementPolicy policy, PlacementRequest request)
    {
        var p = policy.Choose(_cluster, request);
        if (p is not null)
        {
            _cluster.Allocate(p);
            _cluster.Release(p);
        }

        return p;
    }
}

using BenchmarkDotNet.Attributes;
using Gpunet.Core.Geography;
using Gpunet.Core.Gpus;
using Gpunet.Core.Query;

namespace Gpunet.Benchmarks;

/// <summary>A GPU search: parse the query, then filter 10,000 offers.</summary>
[MemoryDiagnoser]
public class GpuQueryBenchmarks
{
    private const string Query = "model=H100 vram>=80 count>=8 country in [DE,FR] price<=2.5";
    private GpuOffer[] _offers = [];
    private GpuQuery _parsed = null!;

    [GlobalSetup]
    public void Setup()
    {
        string[] countries = ["DE", "FR", "US", "JP", "GB"];
        var models = GpuCatalog.All;
        _offers = [.. Enumerable.Range(0, 10_000).Select(i =>
        {
            var m = models[i % models.Count];
            return new GpuOffer($"host-{i:x12}", m.Name, m.Family, m.VramGb, m.ComputeCapability, 1 + i % 8,
                countries[i % countries.Length], "", 0.5m + (i % 40) / 10m);
        })];
        _parsed = GpuQuery.Parse(Query, GpuCatalog.IsKnown, Countries.IsKnown);
    }

    [Benchmark]
    public GpuQuery Parse() => GpuQuery.Parse(Query, GpuCatalog.IsKnown, Countries.IsKnown);

    [Benchmark]
    public int Filter10k()
    {
        var n = 0;
        foreach (var o in _offers)
        {
            if (_parsed.Matches(o))
                n++;
        }

        return n;
    }
}

using BenchmarkDotNet.Attributes;
using Gpunet.Core.Hosts;

namespace Gpunet.Benchmarks;

/// <summary>One host-monitor evaluation over the whole fleet (the coordinator runs it every second).</summary>
[MemoryDiagnoser]
public class HostHealthPolicyBenchmarks
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private readonly string[] _zones = ["DE", "US", "FR", "JP", "GB", "SG", "CA", "FI", "NL", "KR"];
    private HostHealthSample[] _hosts = [];
    private HostHealthPolicy _policy = null!;

    [Params(10_000, 100_000)]
    public int Hosts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _policy = new HostHealthPolicy(new HostHealthOptions());
        // 99 % heartbeating, 1 % silent for a minute: the ordinary day of a large fleet.
        _hosts = [.. Enumerable.Range(0, Hosts).Select(i => new HostHealthSample(
            $"host-{i:x12}", HostState.Ready, T0, _zones[i % _zones.Length],
            i % 100 == 0 ? T0.AddSeconds(60) : T0.AddSeconds(119)))];
    }

    [Benchmark]
    public int Evaluate() => _policy.Evaluate(_hosts, T0.AddSeconds(120), T0).Transitions.Count;
}

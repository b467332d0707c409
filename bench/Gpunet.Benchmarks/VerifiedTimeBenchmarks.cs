using BenchmarkDotNet.Attributes;
using Gpunet.Core.Economics;
using Gpunet.Core.Verification;

namespace Gpunet.Benchmarks;

/// <summary>The verified time of a day's settlement of 100,000 hosts where the network has checkers: each host up all
/// day but for a short outage, capacity passed the day before and again at a random hour; one host in a hundred failed
/// a liveness check, and so brings its day of 1,440 liveness checks (only hosts with a failure are read).</summary>
[MemoryDiagnoser]
public class VerifiedTimeBenchmarks
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private (UptimeStretch[] Ready, DecidedCheck[] Capacity, DecidedCheck[] Liveness)[] _hosts = [];

    [Params(100_000)]
    public int Hosts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(17);
        _hosts = new (UptimeStretch[], DecidedCheck[], DecidedCheck[])[Hosts];
        for (var i = 0; i < Hosts; i++)
        {
            var outage = random.Next(86_000);
            UptimeStretch[] ready = [new(Start, Start.AddSeconds(outage)), new(Start.AddSeconds(outage + 300), Start.AddDays(1))];
            DecidedCheck[] capacity = [new(Start.AddHours(-20), MajorityOutcome.Passed), new(Start.AddSeconds(random.Next(86_400)), MajorityOutcome.Passed)];
            var failure = i % 100 == 0 ? random.Next(1440) : -1;
            var liveness = failure < 0 ? [] : Enumerable.Range(0, 1440)
                .Select(m => new DecidedCheck(Start.AddMinutes(m), m == failure ? MajorityOutcome.Failed : MajorityOutcome.Passed)).ToArray();
            _hosts[i] = (ready, capacity, liveness);
        }
    }

    [Benchmark]
    public long AllHosts()
    {
        long sum = 0;
        foreach (var (ready, capacity, liveness) in _hosts)
            sum += VerifiedTime.Seconds(ready, capacity, liveness);
        return sum;
    }
}

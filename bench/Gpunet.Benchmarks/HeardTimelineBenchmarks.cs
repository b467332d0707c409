using BenchmarkDotNet.Attributes;
using Gpunet.Core.Metering;

namespace Gpunet.Benchmarks;

/// <summary>The metering cost on the coordinator's heartbeat path (one <see cref="HeardTimeline.Heard"/> per heartbeat),
/// and the check of one usage report's period against a day of heartbeats with a silence every hour.</summary>
[MemoryDiagnoser]
public class HeardTimelineBenchmarks
{
    private const long IntervalMs = 10_000;
    private HeardTimeline _steady = null!;
    private HeardTimeline _day = null!;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        _steady = new HeardTimeline(2 * IntervalMs + 500);
        _steady.Heard(0);
        _now = 0;
        _day = new HeardTimeline(2 * IntervalMs + 500);
        for (long t = 0; t < 86_400_000; t += IntervalMs)
        {
            // A two-minute silence at the top of every hour: 24 heard periods.
            if (t % 3_600_000 >= 120_000)
                _day.Heard(t);
        }
    }

    /// <summary>The common case: a heartbeat one interval after the last.</summary>
    [Benchmark]
    public void Heartbeat() => _steady.Heard(_now += IntervalMs);

    /// <summary>A minute's usage report checked against the day.</summary>
    [Benchmark]
    public long HeardMsOfAMinute() => _day.HeardMs(43_200_000, 43_260_000);
}

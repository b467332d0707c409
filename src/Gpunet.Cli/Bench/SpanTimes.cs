using System.Collections.Concurrent;
using System.Diagnostics;

namespace Gpunet.Cli.Bench;

/// <summary>The durations of the coordinator's and the agent's own spans (the ones <c>OTLP</c> exports) in this process,
/// by span name, while <see cref="Recording"/>: where an order's time goes, from the system's own instruments.</summary>
internal sealed class SpanTimes : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<double>> _spans = new(StringComparer.Ordinal);

    public SpanTimes(params string[] sources)
    {
        var names = sources.ToHashSet(StringComparer.Ordinal);
        _listener = new ActivityListener
        {
            ShouldListenTo = s => names.Contains(s.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a =>
            {
                if (Recording)
                    _spans.GetOrAdd(a.OperationName, _ => new()).Enqueue(a.Duration.TotalMilliseconds);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Whether stopped spans are kept (off during a warm-up).</summary>
    public bool Recording { get; set; }

    /// <summary>Each span name with its count and its p50 and p99 in milliseconds.</summary>
    public SortedDictionary<string, SpanSummary> Summary() =>
        new(_spans.ToDictionary(kv => kv.Key, kv => new SpanSummary(kv.Value.Count,
            Math.Round(Percentiles.Of(kv.Value, 0.50), 2), Math.Round(Percentiles.Of(kv.Value, 0.99), 2))), StringComparer.Ordinal);

    public void Dispose() => _listener.Dispose();
}

/// <summary>How many spans of one name, and their p50 and p99 durations.</summary>
internal sealed record SpanSummary(int Count, double P50Ms, double P99Ms);

using System.Diagnostics;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>What the market's one loop does: each kind of work it ran, how many pieces and how long it was busy with
/// them. A loop busy nearly all the time is where orders wait (<c>gpunet bench rent</c> and <c>/metrics</c> show it).</summary>
/// <remarks>Thread-safe: the loop adds, anyone reads.</remarks>
internal sealed class MarketLoad
{
    private readonly long[] _count = new long[Kinds.Length];
    private readonly long[] _ticks = new long[Kinds.Length];

    /// <summary>The kinds of work, as named in metrics and reports.</summary>
    public static readonly string[] Kinds = ["submit", "reports", "tick", "cancel", "query"];

    /// <summary>One piece of <paramref name="kind"/> ran for <paramref name="elapsedTicks"/> (<see cref="Stopwatch"/> ticks).</summary>
    public void Ran(MarketWorkKind kind, long elapsedTicks)
    {
        Interlocked.Increment(ref _count[(int)kind]);
        Interlocked.Add(ref _ticks[(int)kind], elapsedTicks);
    }

    /// <summary>Pieces run and seconds busy so far, by kind.</summary>
    public IReadOnlyDictionary<string, (long Count, double Seconds)> Snapshot() =>
        Enumerable.Range(0, Kinds.Length).ToDictionary(
            i => Kinds[i],
            i => (Interlocked.Read(ref _count[i]), (double)Interlocked.Read(ref _ticks[i]) / Stopwatch.Frequency));
}

/// <summary>A kind of work on the market's loop (see <see cref="MarketLoad"/>).</summary>
internal enum MarketWorkKind
{
    /// <summary>Orders submitted, queued and tried.</summary>
    Submit,
    /// <summary>Agents' reports and (re)connections.</summary>
    Reports,
    /// <summary>The periodic tick: time-outs, failover, the queue tried again, other coordinators' changes.</summary>
    Tick,
    /// <summary>A lease ended by its customer, compliance or its funds.</summary>
    Cancel,
    /// <summary>A look at the market's state (free GPUs, the leases held, tests).</summary>
    Query,
}

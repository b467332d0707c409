using Gpunet.Core.Verification;

namespace Gpunet.Agent.Probe;

/// <summary>What the probe endpoint answered and refused, by reason: what an operator (and a test) reads to see who
/// knocked.</summary>
/// <remarks>Thread-safe (interlocked counters).</remarks>
public sealed class ProbeCounters
{
    private readonly long[] _refused = new long[Enum.GetValues<ProbeRefusalReason>().Length];
    private long _answered;
    private long _notReported;

    /// <summary>Requests answered.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Requests refused, for any reason.</summary>
    public long Refused => Enum.GetValues<ProbeRefusalReason>().Sum(RefusedFor);

    /// <summary>Requests refused for <paramref name="reason"/>.</summary>
    public long RefusedFor(ProbeRefusalReason reason) => Interlocked.Read(ref _refused[(int)reason]);

    /// <summary>Refusals dropped instead of told to the coordinator: more came between two batches than a batch holds.</summary>
    public long RefusalsNotReported => Interlocked.Read(ref _notReported);

    internal void CountRefusalNotReported() => Interlocked.Increment(ref _notReported);

    internal void CountAnswered() => Interlocked.Increment(ref _answered);

    internal void CountRefused(ProbeRefusalReason reason) => Interlocked.Increment(ref _refused[(int)reason]);
}

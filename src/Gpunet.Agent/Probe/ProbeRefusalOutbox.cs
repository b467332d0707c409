using Gpunet.Core.Verification;
using Gpunet.Protocol;

namespace Gpunet.Agent.Probe;

/// <summary>Probe refusals waiting to be told to the coordinator, so that it can count them against the checker they
/// name: sent on the agent's stream at most once every <see cref="Interval"/>, at most <see cref="MaxPerBatch"/> to a
/// batch.</summary>
/// <remarks>Bounded: a flood of refused probes keeps at most <see cref="MaxPerBatch"/> waiting; the rest are dropped and
/// counted (<see cref="ProbeCounters.RefusalsNotReported"/>, and the batch's <c>dropped</c>), since the coordinator caps
/// what it takes from a host anyway. A batch whose stream breaks is not sent again: the refusals are the host's claim,
/// worth a log line, not a retry. Thread-safe: one lock (refusals come from probe calls, batches from the heartbeat
/// loop).</remarks>
internal sealed class ProbeRefusalOutbox(ProbeCounters counters, TimeProvider time)
{
    /// <summary>The most refusals in one batch, and waiting at once.</summary>
    public const int MaxPerBatch = 100;

    /// <summary>The least time between two batches.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    // The longest check id or address kept: ids are 28 characters and addresses 42; anything longer is garbage a
    // stranger sent, and cut so that it cannot grow the batch.
    private const int MaxFieldLength = 64;

    private readonly Lock _gate = new();
    private readonly List<RefusedProbe> _waiting = [];
    private long _dropped;
    private DateTimeOffset? _sentAt;

    /// <summary>Refusals waiting for the next batch.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
                return _waiting.Count;
        }
    }

    /// <summary>Keeps a refusal for the next batch, or drops and counts it when the batch is full.</summary>
    public void Add(string? checkId, string? checker, ProbeRefusalReason reason)
    {
        var refused = new RefusedProbe
        {
            CheckId = Cut(checkId), Checker = Cut(checker), Reason = reason.ToString(), AtUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        lock (_gate)
        {
            if (_waiting.Count < MaxPerBatch)
            {
                _waiting.Add(refused);
                return;
            }

            _dropped++;
        }

        counters.CountRefusalNotReported();
    }

    /// <summary>The next batch when one is due (something waits and <see cref="Interval"/> has passed since the last);
    /// otherwise null.</summary>
    public ProbeRefusals? TakeDue()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_waiting.Count == 0 || now - _sentAt < Interval)
                return null;
            var batch = new ProbeRefusals { Dropped = _dropped };
            batch.Refusals.AddRange(_waiting);
            _waiting.Clear();
            _dropped = 0;
            _sentAt = now;
            return batch;
        }
    }

    private static string Cut(string? text) => text is null ? "" : text.Length > MaxFieldLength ? text[..MaxFieldLength] : text;
}

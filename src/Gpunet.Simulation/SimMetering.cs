using Gpunet.Core.Metering;

namespace Gpunet.Simulation;

/// <summary>The coordinator's usage intake: a report waits until a heartbeat after its period's end (or a heard gap
/// has passed), is checked by <see cref="UsageCheck"/> against the lease and what this process heard, and is stored
/// once by (lease, attempt, sequence). A resent report is answered as before.</summary>
internal sealed class SimMetering(SimCoordinator c, Scheduler clock, ChaosOptions options, Truth truth)
{
    private const int WaitingCapacity = 1024;

    private readonly Dictionary<string, List<(UsageMessage Message, long ReceivedMs)>> _waiting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _writing = new(StringComparer.Ordinal);

    private SimStore Store => c.Store;

    /// <summary>Forgets what lived in memory (a crash).</summary>
    public void Forget()
    {
        _waiting.Clear();
        _writing.Clear();
    }

    public void Take(string hostId, UsageMessage m)
    {
        if (m.Statement.ToUnixMs > c.Heard(hostId).LastHeardMs)
        {
            if (!_waiting.TryGetValue(hostId, out var waiting))
                _waiting[hostId] = waiting = [];
            if (waiting.Count < WaitingCapacity)
            {
                waiting.Add((m, clock.Now));
                return;
            }
        }

        Decide(hostId, m);
    }

    /// <summary>The host was heard: its reports whose period that heartbeat covers are decided.</summary>
    public void Heard(string hostId)
    {
        if (_waiting.TryGetValue(hostId, out var waiting) && waiting.Count > 0)
            Release(hostId, waiting);
    }

    /// <summary>Decides every report that has waited a heard gap.</summary>
    public void ReleaseWaiting()
    {
        foreach (var (hostId, waiting) in _waiting)
        {
            if (waiting.Count > 0)
                Release(hostId, waiting);
        }
    }

    private void Release(string hostId, List<(UsageMessage Message, long ReceivedMs)> waiting)
    {
        var heardThrough = c.Heard(hostId).LastHeardMs;
        var receivedBefore = clock.Now - c.MaxHeardGapMs;
        var ready = waiting.Where(w => w.Message.Statement.ToUnixMs <= heardThrough || w.ReceivedMs < receivedBefore).ToList();
        if (ready.Count == 0)
            return;
        waiting.RemoveAll(w => w.Message.Statement.ToUnixMs <= heardThrough || w.ReceivedMs < receivedBefore);
        foreach (var (m, _) in ready)
            Decide(hostId, m);
    }

    private void Decide(string hostId, UsageMessage m)
    {
        var s = m.Statement;
        var key = (s.LeaseId, s.Attempt, s.Sequence);
        if (Store.Usage.ContainsKey(key))
        {
            truth.Counters.UsageReplayed++;
            c.Acknowledge(hostId, m.Key);
            return;
        }

        if (_writing.Contains(m.Key))
            return;
        if (s.HostId != hostId || !Store.Leases.TryGetValue(s.LeaseId, out var lease))
        {
            Refuse(hostId, m);
            return;
        }

        var facts = new LeaseFacts(lease.HostId, lease.StartedMs, lease.EndedMs, lease.Gpus, 1000, lease.Attempt);
        var billedThrough = lease.BilledThroughMs;
        var decision = UsageCheck.Check(s, facts, billedThrough, clock.Now, c.Heard(hostId), options.UsageLatenessMs);
        if (!decision.Accepted)
        {
            Refuse(hostId, m);
            return;
        }

        // What the whole run heard of the period, as of this decision (later heartbeats may confirm more of it).
        var truthHeard = truth.HeardMs(hostId, s.FromUnixMs, lease.EndedMs is { } end ? Math.Min(s.ToUnixMs, end) : s.ToUnixMs);
        _writing.Add(m.Key);
        c.Write(() =>
        {
            // The store moved on meanwhile (a slow write): this report is decided again when the agent resends it.
            if (Store.Usage.ContainsKey(key) || lease.BilledThroughMs != billedThrough || lease.Attempt != s.Attempt || lease.EscrowClosed
                || (lease.EndedMs is { } ended && clock.Now - ended > options.UsageLatenessMs))
                return;
            var row = new UsageRow(s.LeaseId, hostId, s.Attempt, s.Sequence, s.FromUnixMs, s.ToUnixMs, decision.BilledMs, clock.Now,
                clock.Now / options.EpochMs, truthHeard);
            Invariants.CheckUsage(row, lease, truth, options, c.MaxHeardGapMs, clock.Now);
            Store.Usage.Add(key, row);
            lease.Usage.Add(row);
            lease.BilledThroughMs = s.ToUnixMs;
            if (!Store.UsageByEpoch.TryGetValue(row.Epoch, out var rows))
                Store.UsageByEpoch[row.Epoch] = rows = [];
            rows.Add(row);
            truth.Counters.UsageAccepted++;
            truth.Counters.BilledMs += row.BilledMs;
            truth.Counters.HeardReportedMs += row.TruthHeardMs;
        }, () =>
        {
            _writing.Remove(m.Key);
            if (Store.Usage.ContainsKey(key))
                c.Acknowledge(hostId, m.Key);
        }, () => _writing.Remove(m.Key));
    }

    // Refused for good (not this host's lease, its attempt is over, a period already billed …): the agent forgets it.
    private void Refuse(string hostId, UsageMessage m)
    {
        truth.Counters.UsageRefused++;
        c.Acknowledge(hostId, m.Key);
    }
}

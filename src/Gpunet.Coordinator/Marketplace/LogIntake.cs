using System.Collections.Concurrent;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Hosts;
using Gpunet.Protocol;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>Takes the lines leases' workloads write: kept only from the host the lease is on and its current attempt,
/// stored, then pushed to the lease's followers in order, and acknowledged to the agent, which keeps a batch until then
/// (and sends it again on its next stream).</summary>
/// <remarks>Thread-safe: lines come on the agents' streams, leases are accepted and ended on the market's loop. A
/// lease is known here from its placement until its agent reports its end (or, if the agent never does, a while
/// after the lease ended), so nothing grows with the leases that have ended.</remarks>
internal sealed partial class LogIntake(LeaseStore store, LeaseLogFeed feed, TimeProvider time, ILogger log)
{
    /// <summary>How long lines of an ended lease are still taken when its agent has not reported the end (the last
    /// lines of a cancelled lease come after the cancel).</summary>
    public static readonly TimeSpan LateLinesGrace = TimeSpan.FromMinutes(1);

    private const int MaxLineLength = TextLimits.LogLine;

    /// <summary>Batches of leases not held here that one host may have looked up in the store: a burst, then a few a
    /// second. Beyond it a batch is not acknowledged (the agent sends it again on its next stream), so an agent sending
    /// batches of made-up leases costs the store little.</summary>
    public const int LookupBurst = 32;

    private const double LookupsPerSecond = 8;

    private readonly ConcurrentDictionary<string, Receiving> _leases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _writes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TokenBucket> _lookups = new(StringComparer.Ordinal);

    /// <summary>Leases whose lines are taken here.</summary>
    public int ReceivingCount => _leases.Count;

    /// <summary>Leases with lines being stored.</summary>
    public int WritingCount => _writes.Count;

    /// <summary>Whether this coordinator takes the lease's lines (it holds the lease on a host connected here).</summary>
    public bool Receives(string leaseId) => _leases.ContainsKey(leaseId);

    /// <summary>The lease is placed on <paramref name="hostId"/> (its <paramref name="attempt"/>th placement): its lines
    /// are taken from that host, for that attempt.</summary>
    public void Accept(string leaseId, string hostId, int attempt) => _leases[leaseId] = new Receiving(hostId, attempt, null);

    /// <summary>The lease ended here; its late lines are still taken for <see cref="LateLinesGrace"/>.</summary>
    public void Ended(string leaseId)
    {
        if (_leases.TryGetValue(leaseId, out var receiving) && receiving.EndedAt is null)
            _leases.TryUpdate(leaseId, receiving with { EndedAt = time.GetUtcNow() }, receiving);
    }

    /// <summary>The agent reported the lease's end (it sends the last lines before that): waits until they are stored,
    /// so a reader that sees the lease ended finds every line, then takes no more.</summary>
    public async Task CloseAsync(string leaseId)
    {
        if (_writes.TryGetValue(leaseId, out var writing))
            await writing;
        _leases.TryRemove(leaseId, out _);
    }

    /// <summary>Forgets the leases that ended longer than <see cref="LateLinesGrace"/> ago.</summary>
    public void Sweep()
    {
        var before = time.GetUtcNow() - LateLinesGrace;
        foreach (var (leaseId, receiving) in _leases)
        {
            if (receiving.EndedAt < before)
                _leases.TryRemove(new KeyValuePair<string, Receiving>(leaseId, receiving));
        }
    }

    /// <summary>Lines a lease's workload wrote; kept only when the lease is on the reporting host and attempt, pushed
    /// to its followers once stored, and then acknowledged through <paramref name="acknowledge"/>.</summary>
    /// <remarks>A batch for a lease not held here is looked up in the store: one whose end is stored, from its host and
    /// attempt, within <see cref="LateLinesGrace"/> of the end, is kept (an agent that was away when its workload ended
    /// tells the end when it registers, before it sends again the lines it wrote before it); one of another host, of an
    /// attempt that is over (the lease moved, or waits to), or later than the grace is never taken, and acknowledged so
    /// the agent lets go. One of a lease still running on its host and attempt, or not stored, is not acknowledged (this
    /// coordinator has just started and not yet taken the host's leases, or another coordinator holds it): the agent
    /// sends it again on its next stream.</remarks>
    public void Take(string hostId, LeaseLog logs, Action<LogAck> acknowledge)
    {
        ArgumentNullException.ThrowIfNull(acknowledge);
        if (logs.Lines.Count == 0)
            return;
        var ack = new LogAck { LeaseId = logs.LeaseId, Attempt = logs.Attempt, LastSequence = logs.Lines[^1].Sequence };
        if (!_leases.TryGetValue(logs.LeaseId, out var owner))
        {
            // One stream's receive loop per host: its bucket is taken from one thread at a time.
            var bucket = _lookups.GetOrAdd(hostId, _ => new TokenBucket(LookupsPerSecond, LookupBurst, time.GetUtcNow()));
            if (!bucket.TryTake(time.GetUtcNow()))
            {
                LogForeignLines(log, hostId, logs.LeaseId);
                return;
            }

            Chain(logs.LeaseId, before => TakeEndedAsync(before, hostId, logs, () => acknowledge(ack)));
            return;
        }

        if (owner.HostId != hostId || owner.Attempt != logs.Attempt)
        {
            LogForeignLines(log, hostId, logs.LeaseId);
            acknowledge(ack);
            return;
        }

        var records = Records(logs);
        var writes = records.Select(SaveLineAsync).ToList();
        Chain(logs.LeaseId, before => PublishAsync(before, Task.WhenAll(writes), logs.LeaseId, records, () => acknowledge(ack)));
    }

    // Each batch is published after the one before it (per-lease order), and only once stored, so a follower that
    // reads the store and then takes pushes sees no gap. A lease's entry lasts only while its lines are written.
    private void Chain(string leaseId, Func<Task, Task> next)
    {
        var before = _writes.TryGetValue(leaseId, out var previous) ? previous : Task.CompletedTask;
        var publishing = next(before);
        _writes[leaseId] = publishing;
        _ = publishing.ContinueWith(done => _writes.TryRemove(new KeyValuePair<string, Task>(leaseId, done)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static List<LeaseLogRecord> Records(LeaseLog logs) =>
    [
        .. logs.Lines.Select(line => new LeaseLogRecord
        {
            LeaseId = logs.LeaseId,
            Attempt = logs.Attempt,
            Sequence = line.Sequence,
            Stream = line.Stream == "stderr" ? "stderr" : "stdout",
            Text = line.Text.Length <= MaxLineLength ? line.Text : line.Text[..MaxLineLength],
            At = DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(line.AtUnixMs, 0, 253402300799999)),
        }),
    ];

    /// <summary>A batch for a lease not held here: kept if the store says the lease ended on this host and attempt within
    /// the grace (see <see cref="Take"/>).</summary>
    private async Task TakeEndedAsync(Task before, string hostId, LeaseLog logs, Action acknowledge)
    {
        await before; // never faults, as in PublishAsync
        LeaseRecord? lease;
        try
        {
            lease = await store.LeaseAsync(logs.LeaseId, CancellationToken.None);
        }
#pragma warning disable CA1031 // the store is away: the batch is not acknowledged, and the agent sends it again
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogLinesLost(log, e, logs.LeaseId);
            return;
        }

        if (lease is null)
        {
            LogForeignLines(log, hostId, logs.LeaseId);
            return;
        }

        // Moved away (another host or attempt, or waiting for its next placement), or ended too long ago: never taken.
        if (lease.HostId != hostId || lease.Attempt != logs.Attempt || time.GetUtcNow() - lease.EndedAt > LateLinesGrace)
        {
            LogForeignLines(log, hostId, logs.LeaseId);
            acknowledge();
            return;
        }

        // Still on this host and running: taken once this coordinator holds it.
        if (lease.EndedAt is null)
        {
            LogForeignLines(log, hostId, logs.LeaseId);
            return;
        }

        var records = Records(logs);
        await PublishAsync(Task.CompletedTask, Task.WhenAll(records.Select(SaveLineAsync)), logs.LeaseId, records, acknowledge);
    }

    private async Task PublishAsync(Task before, Task<bool[]> stored, string leaseId, List<LeaseLogRecord> lines, Action acknowledge)
    {
        await before; // never faults: a line that could not be stored is logged by SaveLineAsync
        var saved = await stored;
        feed.Publish(leaseId, lines);
        // A batch with a line not stored is not acknowledged: the agent sends it again on its next stream, and the lines
        // stored meanwhile are kept once.
        if (saved.All(s => s))
            acknowledge();
    }

    private async Task<bool> SaveLineAsync(LeaseLogRecord line)
    {
        try
        {
            await store.AppendLogsAsync(line);
            return true;
        }
#pragma warning disable CA1031 // a lost log line is logged, not fatal
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogLinesLost(log, e, line.LeaseId);
            return false;
        }
    }

    /// <summary>The host and attempt a lease's lines are taken from, and when the lease ended here (null while it runs).</summary>
    private sealed record Receiving(string HostId, int Attempt, DateTimeOffset? EndedAt);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Debug, Message = "Host {HostId} sent lines for lease {LeaseId}, which is not its own here (another host or attempt, or not known yet); not taken")]
    private static partial void LogForeignLines(ILogger logger, string hostId, string leaseId);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Log lines of lease {LeaseId} could not be stored; the agent sends them again on its next stream")]
    private static partial void LogLinesLost(ILogger logger, Exception e, string leaseId);
}

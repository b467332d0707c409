using System.Globalization;
using System.Threading.Channels;
using Gpunet.Protocol;

namespace Gpunet.Agent.Workloads;

/// <summary>The supervisor's messages for the coordinator, in order, bounded so that a long disconnection cannot
/// exhaust memory: beyond <c>logCapacity</c> log batches the oldest batch is dropped, and the lease's next batch
/// starts with a stderr line saying how many lines are missing. Lease and usage reports are never dropped.</summary>
/// <remarks>Thread-safe; meant for one reader (the agent's session).</remarks>
internal sealed class LeaseOutbox(int logCapacity) : ChannelReader<AgentMessage>
{
    private readonly LinkedList<Entry> _queue = new();
    private readonly Dictionary<string, Gap> _pendingGaps = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private TaskCompletionSource<bool>? _waiter;
    private int _logs;
    private bool _completed;

    public override Task Completion => _completion.Task;

    public override bool CanCount => true;

    public override int Count
    {
        get
        {
            lock (_lock)
                return _queue.Count;
        }
    }

    /// <summary>Appends a report; any gap left in the lease's log is marked first, so it is not lost with the end.</summary>
    public void Add(LeaseReport report)
    {
        lock (_lock)
        {
            if (_completed)
                return;
            if (_pendingGaps.Remove(report.LeaseId, out var gap))
                _queue.AddLast(new Entry(new AgentMessage { LeaseLog = new LeaseLog { LeaseId = report.LeaseId } }) { Gap = gap, Pinned = true });
            _queue.AddLast(new Entry(new AgentMessage { LeaseReport = report }));
            Signal();
        }
    }

    /// <summary>Appends a usage report; like lease reports, never dropped.</summary>
    public void Add(UsageReport usage)
    {
        lock (_lock)
        {
            if (_completed)
                return;
            _queue.AddLast(new Entry(new AgentMessage { UsageReport = usage }));
            Signal();
        }
    }

    /// <summary>Appends a log batch, dropping the oldest batch while there are more than the capacity.</summary>
    public void Add(LeaseLog batch)
    {
        lock (_lock)
        {
            if (_completed)
                return;
            var entry = new Entry(new AgentMessage { LeaseLog = batch });
            if (_pendingGaps.Remove(batch.LeaseId, out var gap))
                entry.Gap = gap;
            _queue.AddLast(entry);
            _logs++;
            while (_logs > logCapacity)
                DropOldestLog();
            Signal();
        }
    }

    /// <summary>No more messages; the reader sees the end once the queue is drained.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            if (_queue.Count == 0)
                _completion.TrySetResult();
            Signal();
        }
    }

    public override bool CanPeek => true;

    /// <summary>The next message without taking it: the session sends it, then takes it, so a message a broken stream
    /// did not carry goes out on the next one.</summary>
    public override bool TryPeek(out AgentMessage item)
    {
        lock (_lock)
        {
            if (_queue.First is not { } first)
            {
                item = null!;
                return false;
            }

            var entry = first.Value;
            if (entry.Gap is { } gap)
            {
                // Marked once: what was peeked is what is read.
                entry.Message = new AgentMessage { LeaseLog = WithMarker(entry.Message.LeaseLog, gap) };
                entry.Gap = null;
            }

            item = entry.Message;
            return true;
        }
    }

    public override bool TryRead(out AgentMessage item)
    {
        lock (_lock)
        {
            if (_queue.First is not { } first)
            {
                item = null!;
                return false;
            }

            _queue.RemoveFirst();
            var entry = first.Value;
            if (entry.Message.BodyCase == AgentMessage.BodyOneofCase.LeaseLog && !entry.Pinned)
                _logs--;
            item = entry.Gap is { } gap ? new AgentMessage { LeaseLog = WithMarker(entry.Message.LeaseLog, gap) } : entry.Message;
            if (_completed && _queue.Count == 0)
                _completion.TrySetResult();
            return true;
        }
    }

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        Task<bool> wait;
        lock (_lock)
        {
            if (_queue.Count > 0)
                return new ValueTask<bool>(true);
            if (_completed)
                return new ValueTask<bool>(false);
            _waiter ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = _waiter.Task;
        }

        return new ValueTask<bool>(wait.WaitAsync(cancellationToken));
    }

    private void Signal()
    {
        var waiter = _waiter;
        _waiter = null;
        waiter?.TrySetResult(_queue.Count > 0);
    }

    private void DropOldestLog()
    {
        var node = _queue.First;
        while (node is not null && (node.Value.Message.BodyCase != AgentMessage.BodyOneofCase.LeaseLog || node.Value.Pinned))
            node = node.Next;
        if (node is null)
            return;
        var dropped = node.Value;
        var batch = dropped.Message.LeaseLog;
        var gap = batch.Lines.Count == 0 ? dropped.Gap : Gap.Join(dropped.Gap, new Gap(batch.Lines.Count, batch.Lines[^1].Sequence, batch.Lines[^1].AtUnixMs));
        var next = node.Next;
        _queue.Remove(node);
        _logs--;
        if (gap is null)
            return;

        // The gap is marked on the lease's next batch still queued, or on the next one to come.
        while (next is not null && !(next.Value.Message.BodyCase == AgentMessage.BodyOneofCase.LeaseLog && next.Value.Message.LeaseLog.LeaseId == batch.LeaseId))
            next = next.Next;
        if (next is not null)
            next.Value.Gap = next.Value.Gap is { } later ? Gap.Join(gap, later) : gap;
        else
            _pendingGaps[batch.LeaseId] = Gap.Join(_pendingGaps.GetValueOrDefault(batch.LeaseId), gap);
    }

    private static LeaseLog WithMarker(LeaseLog batch, Gap gap)
    {
        var marked = new LeaseLog { LeaseId = batch.LeaseId };
        marked.Lines.Add(new LogLine
        {
            // The marker takes the last missing line's number, so sequence numbers stay increasing.
            Sequence = gap.LastSequence,
            Stream = "stderr",
            Text = $"[gpunet: {gap.Lines.ToString(CultureInfo.InvariantCulture)} log lines dropped while disconnected]",
            AtUnixMs = gap.LastAtUnixMs,
        });
        marked.Lines.Add(batch.Lines);
        return marked;
    }

    private sealed class Entry(AgentMessage message)
    {
        public AgentMessage Message { get; set; } = message;

        /// <summary>Lines dropped just before this batch.</summary>
        public Gap? Gap { get; set; }

        /// <summary>A gap marker before an end report: never dropped, so the gap is not lost with the lease's end.</summary>
        public bool Pinned { get; init; }
    }

    /// <summary>Lines dropped from one lease's log: how many, and the number and time of the last of them.</summary>
    private sealed record Gap(long Lines, long LastSequence, long LastAtUnixMs)
    {
        public static Gap Join(Gap? earlier, Gap later) =>
            earlier is null ? later : new Gap(earlier.Lines + later.Lines, later.LastSequence, later.LastAtUnixMs);
    }
}

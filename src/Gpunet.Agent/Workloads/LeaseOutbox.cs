using System.Globalization;
using System.Threading.Channels;
using Gpunet.Protocol;

namespace Gpunet.Agent.Workloads;

/// <summary>The supervisor's messages for the coordinator, in order. Log batches and usage reports are kept after they
/// are sent until the coordinator acknowledges them (<see cref="Acknowledge(LogAck)"/>, <see cref="Acknowledge(UsageAck)"/>),
/// and <see cref="Rewind"/> sends what is still unacknowledged again on the next stream, so a line or a report the
/// coordinator took but lost in a crash is not lost. Bounded, so a long disconnection cannot exhaust memory: beyond
/// <c>logCapacity</c> log batches, the oldest batch already sent once is dropped, else the oldest unsent one, and then
/// the lease's next batch starts with a stderr line saying how many lines are missing. Lease and usage reports are never
/// dropped.</summary>
/// <remarks>Thread-safe; meant for one reader (the agent's session). Messages already sent form a prefix of the queue;
/// <c>_next</c> is the first one not sent on the current stream.</remarks>
internal sealed class LeaseOutbox(int logCapacity) : ChannelReader<AgentMessage>
{
    private readonly LinkedList<Entry> _queue = new();
    private readonly Dictionary<string, Gap> _pendingGaps = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private LinkedListNode<Entry>? _next;
    private TaskCompletionSource<bool>? _waiter;
    private int _logs;
    private int _unsent;
    private bool _completed;

    public override Task Completion => _completion.Task;

    public override bool CanCount => true;

    /// <summary>Messages not sent on the current stream yet.</summary>
    public override int Count
    {
        get
        {
            lock (_lock)
                return _unsent;
        }
    }

    /// <summary>Messages sent and waiting for the coordinator's acknowledgement.</summary>
    public int Unacknowledged
    {
        get
        {
            lock (_lock)
                return _queue.Count - _unsent;
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
                Append(new Entry(new AgentMessage { LeaseLog = new LeaseLog { LeaseId = report.LeaseId, Attempt = gap.Attempt } }) { Gap = gap, Pinned = true });
            Append(new Entry(new AgentMessage { LeaseReport = report }));
        }
    }

    /// <summary>Appends a usage report; like lease reports, never dropped.</summary>
    public void Add(UsageReport usage)
    {
        lock (_lock)
        {
            if (_completed)
                return;
            Append(new Entry(new AgentMessage { UsageReport = usage }));
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
            _logs++;
            Append(entry);
            while (_logs > logCapacity)
                DropOldestLog();
        }
    }

    /// <summary>The coordinator stored the batch <paramref name="ack"/> names (or will never take it): it is forgotten.</summary>
    public void Acknowledge(LogAck ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        lock (_lock)
        {
            var node = Find(e => e.Message.LeaseLog is { } log && log.LeaseId == ack.LeaseId && log.Attempt == ack.Attempt
                && log.Lines.Count > 0 && log.Lines[^1].Sequence == ack.LastSequence);
            if (node is not null)
                Remove(node);
        }
    }

    /// <summary>The coordinator answered the usage report (accepted it, or refused it for good): it is forgotten.</summary>
    public void Acknowledge(UsageAck ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        lock (_lock)
        {
            var node = Find(e => e.Message.UsageReport is { } u && u.LeaseId == ack.LeaseId && u.Attempt == ack.Attempt && u.Sequence == ack.Sequence);
            if (node is not null)
                Remove(node);
        }
    }

    /// <summary>Forgets a lease's lines and usage reports already sent on this stream: the coordinator has stored its
    /// end. Those not sent on this stream yet (a new stream's resends, when the coordinator's answer to the registration
    /// came first) are kept and sent: the coordinator takes a late batch of an ended lease within its grace, or answers
    /// that it never will, and either way acknowledges it.</summary>
    public void Forget(string leaseId)
    {
        lock (_lock)
        {
            for (var node = _queue.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.Sent
                    && (node.Value.Message is { LeaseLog.LeaseId: var l } && l == leaseId || node.Value.Message is { UsageReport.LeaseId: var u } && u == leaseId))
                    Remove(node);
                node = next;
            }

            _pendingGaps.Remove(leaseId);
        }
    }

    /// <summary>A new stream: what was sent and not acknowledged is sent again, first and in its order.</summary>
    public void Rewind()
    {
        lock (_lock)
        {
            _next = _queue.First;
            _unsent = _queue.Count;
            for (var node = _queue.First; node is not null; node = node.Next)
                node.Value.Sent = false;
            if (_unsent > 0)
                Signal();
        }
    }

    /// <summary>No more messages; the reader sees the end once everything is sent.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            if (_unsent == 0)
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
            if (_next is null)
            {
                item = null!;
                return false;
            }

            item = Marked(_next.Value);
            return true;
        }
    }

    /// <summary>Takes the next message as sent: a log batch or usage report stays until acknowledged, a lease report
    /// goes (the agent's registration carries every lease's latest report again).</summary>
    public override bool TryRead(out AgentMessage item)
    {
        lock (_lock)
        {
            if (_next is not { } node)
            {
                item = null!;
                return false;
            }

            var entry = node.Value;
            item = Marked(entry);
            _next = node.Next;
            _unsent--;
            if (entry.Message.BodyCase is AgentMessage.BodyOneofCase.LeaseLog or AgentMessage.BodyOneofCase.UsageReport)
                entry.Sent = true;
            else
                _queue.Remove(node);
            if (_completed && _unsent == 0)
                _completion.TrySetResult();
            return true;
        }
    }

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        Task<bool> wait;
        lock (_lock)
        {
            if (_unsent > 0)
                return new ValueTask<bool>(true);
            if (_completed)
                return new ValueTask<bool>(false);
            _waiter ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = _waiter.Task;
        }

        return new ValueTask<bool>(wait.WaitAsync(cancellationToken));
    }

    private void Append(Entry entry)
    {
        var node = _queue.AddLast(entry);
        _next ??= node;
        _unsent++;
        Signal();
    }

    private void Signal()
    {
        var waiter = _waiter;
        _waiter = null;
        waiter?.TrySetResult(_unsent > 0);
    }

    private LinkedListNode<Entry>? Find(Func<Entry, bool> match)
    {
        for (var node = _queue.First; node is not null; node = node.Next)
        {
            if (match(node.Value))
                return node;
        }

        return null;
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        if (node == _next)
            _next = node.Next;
        if (!node.Value.Sent)
            _unsent--;
        if (node.Value.Message.BodyCase == AgentMessage.BodyOneofCase.LeaseLog && !node.Value.Pinned)
            _logs--;
        _queue.Remove(node);
    }

    /// <summary>The entry's message, with the marker of the lines dropped before it; marked once, so what was peeked is
    /// what is read, and what is sent again.</summary>
    private static AgentMessage Marked(Entry entry)
    {
        if (entry.Gap is { } gap)
        {
            entry.Message = new AgentMessage { LeaseLog = WithMarker(entry.Message.LeaseLog, gap) };
            entry.Gap = null;
        }

        return entry.Message;
    }

    /// <summary>Drops the oldest log batch: one sent once already (the coordinator has most likely stored it; it just
    /// could not say so), else the oldest unsent one, whose lines are then marked as missing.</summary>
    private void DropOldestLog()
    {
        static bool Droppable(LinkedListNode<Entry> n) => n.Value.Message.BodyCase == AgentMessage.BodyOneofCase.LeaseLog && !n.Value.Pinned;
        LinkedListNode<Entry>? node = null;
        for (var n = _queue.First; n is not null && n.Value.Sent; n = n.Next)
        {
            if (Droppable(n))
            {
                node = n;
                break;
            }
        }

        if (node is not null)
        {
            Remove(node);
            return;
        }

        node = _next;
        while (node is not null && !Droppable(node))
            node = node.Next;
        if (node is null)
            return;
        var dropped = node.Value;
        var batch = dropped.Message.LeaseLog;
        var gap = batch.Lines.Count == 0 ? dropped.Gap
            : Gap.Join(dropped.Gap, new Gap(batch.Attempt, batch.Lines.Count, batch.Lines[^1].Sequence, batch.Lines[^1].AtUnixMs));
        var next = node.Next;
        Remove(node);
        if (gap is null)
            return;

        // The gap is marked on the lease's next batch of the same attempt still queued, or on the next one to come.
        while (next is not null && !(next.Value.Message.BodyCase == AgentMessage.BodyOneofCase.LeaseLog
            && next.Value.Message.LeaseLog.LeaseId == batch.LeaseId && next.Value.Message.LeaseLog.Attempt == batch.Attempt))
            next = next.Next;
        if (next is not null)
            next.Value.Gap = next.Value.Gap is { } later ? Gap.Join(gap, later) : gap;
        else
            _pendingGaps[batch.LeaseId] = Gap.Join(_pendingGaps.GetValueOrDefault(batch.LeaseId), gap);
    }

    private static LeaseLog WithMarker(LeaseLog batch, Gap gap)
    {
        var marked = new LeaseLog { LeaseId = batch.LeaseId, Attempt = batch.Attempt };
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

        /// <summary>Sent on the current stream, waiting for the coordinator's acknowledgement.</summary>
        public bool Sent { get; set; }
    }

    /// <summary>Lines dropped from one lease attempt's log: how many, and the number and time of the last of them.</summary>
    private sealed record Gap(int Attempt, long Lines, long LastSequence, long LastAtUnixMs)
    {
        public static Gap Join(Gap? earlier, Gap later) =>
            earlier is null ? later : new Gap(later.Attempt, earlier.Lines + later.Lines, later.LastSequence, later.LastAtUnixMs);
    }
}

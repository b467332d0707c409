using System.Threading.Channels;
using Gpunet.Coordinator.Storage;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>One follower of a lease's log: the lines pushed to it since it subscribed, in order, up to a bounded
/// buffer. A follower that falls behind (its buffer full) is told so and gets no more pushes until it has read the
/// store again; every pushed line was stored first, so nothing is lost.</summary>
/// <remarks>One writer (the lease's publisher, which pushes a lease's batches one after another) and one reader (the
/// follow stream). A follower that <see cref="WatchesChanges"/> is also woken when the lease's row changes (its state, its
/// endpoint), so a console's lease page is told at once.</remarks>
internal sealed class LogFollower : IDisposable
{
    /// <summary>What one follower may hold in memory, in bytes of text (a line is up to 16 KiB).</summary>
    public const long MaxBufferedBytes = 1024 * 1024;

    private readonly Channel<LeaseLogRecord> _lines = Channel.CreateUnbounded<LeaseLogRecord>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Action<LogFollower> _unsubscribe;
    private long _bytes;
    private int _behind;

    public LogFollower(string leaseId, Action<LogFollower> unsubscribe, bool watchesChanges = false)
    {
        LeaseId = leaseId;
        _unsubscribe = unsubscribe;
        WatchesChanges = watchesChanges;
    }

    /// <summary>Whether the lease's changes wake this follower too (its reader then calls <see cref="TakeChanged"/>).</summary>
    public bool WatchesChanges { get; }

    /// <summary>The lease followed.</summary>
    public string LeaseId { get; }

    /// <summary>Whether the lease's end was signalled and every pushed line read.</summary>
    public bool Ended => _lines.Reader.Completion.IsCompleted;

    internal void Push(IReadOnlyList<LeaseLogRecord> lines)
    {
        foreach (var line in lines)
        {
            // Once behind, nothing more until the reader has caught up from the store: a later line must not pass an
            // earlier one that was dropped.
            if (Volatile.Read(ref _behind) == 1)
                return;
            var size = Size(line);
            if (Interlocked.Add(ref _bytes, size) > MaxBufferedBytes)
            {
                Interlocked.Add(ref _bytes, -size);
                Volatile.Write(ref _behind, 1);
                return;
            }

            _lines.Writer.TryWrite(line);
        }
    }

    internal void End() => _lines.Writer.TryComplete();

    /// <summary>The lease's row changed (many changes before a read wake the reader once).</summary>
    internal void Changed()
    {
        if (WatchesChanges)
            _changes.Writer.TryWrite(true);
    }

    /// <summary>Waits until a line is pushed, the lease changes (when watched) or ends: true; false when
    /// <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(timeout);
        try
        {
            if (!WatchesChanges)
            {
                await _lines.Reader.WaitToReadAsync(wait.Token);
                return true;
            }

            var woken = await Task.WhenAny(_lines.Reader.WaitToReadAsync(wait.Token).AsTask(), _changes.Reader.WaitToReadAsync(wait.Token).AsTask());
            await woken;
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            // The wait that did not finish lets go of its channel now.
            await wait.CancelAsync();
        }
    }

    /// <summary>True once after the lease changed since the last call.</summary>
    public bool TakeChanged() => _changes.Reader.TryRead(out _);

    /// <summary>The next pushed line, if any.</summary>
    public bool TryRead(out LeaseLogRecord line)
    {
        if (!_lines.Reader.TryRead(out line!))
            return false;
        Interlocked.Add(ref _bytes, -Size(line));
        return true;
    }

    /// <summary>True once when pushes were dropped: the reader then drops what is buffered and reads the store again
    /// from its last line (pushes resume at once, so a line stored meanwhile comes from one or the other).</summary>
    public bool TakeBehind()
    {
        if (Interlocked.Exchange(ref _behind, 0) == 0)
            return false;
        while (TryRead(out _))
        {
        }

        return true;
    }

    private static long Size(LeaseLogRecord line) => 64 + (2L * line.Text.Length);

    public void Dispose() => _unsubscribe(this);
}

using System.Diagnostics;
using System.Threading.Tasks.Sources;

namespace Gpunet.Cli.Bench;

/// <summary>Wakes each of <c>count</c> agents once per interval at its own phase (agent i at i/count of the interval),
/// on one clock: agent i's k-th wake-up is due at start + k·interval + i·interval/count, however late the one before
/// came.</summary>
/// <remarks>Per-agent timers (<see cref="PeriodicTimer"/>) re-arm from the moment they fire, so every late pass of the
/// timer queue (a GC pause, a busy thread pool) merges the phases of all the timers it fires; after a few such passes
/// 10,000 agents heartbeat in a few clumps of thousands at once, and a paced benchmark measures bursts instead of its
/// rate. Here one thread wakes about every millisecond and releases the agents that are due; an agent still busy with its
/// last heartbeat when the next is due sends the next as soon as it can, so the load keeps its rate. Waiting allocates
/// nothing: the agents live in the same process as the coordinator, and a task and a cancellation registration per
/// heartbeat, each alive until the next, would be young objects that old ones point to, which every collection of the
/// youngest generation has to find and keep, lengthening the pauses the benchmark measures.</remarks>
internal sealed class HeartbeatPacer : IDisposable
{
    private readonly Signal[] _due;
    private readonly double _intervalTicks;
    private readonly Thread? _thread;
    private volatile bool _stopped;

    // Wake-up w, counted over all agents, is agent w mod n's in round w / n; this is the next one not yet released.
    private long _next;

    public HeartbeatPacer(int count, TimeSpan interval)
        : this(count, interval, Stopwatch.Frequency, run: true)
    {
    }

    /// <summary>A pacer on a clock of <paramref name="ticksPerSecond"/>; without <paramref name="run"/> nothing moves it
    /// but <see cref="ReleaseDue"/>.</summary>
    internal HeartbeatPacer(int count, TimeSpan interval, long ticksPerSecond, bool run)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _due = [.. Enumerable.Range(0, count).Select(_ => new Signal())];
        _intervalTicks = interval.TotalSeconds * ticksPerSecond;
        if (!run)
            return;
        _thread = new Thread(Run) { IsBackground = true, Name = "heartbeat pacer", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>Completes when agent <paramref name="index"/>'s next heartbeat is due, or once more after
    /// <see cref="Dispose"/>. One caller per agent at a time.</summary>
    public ValueTask WaitAsync(int index) => _due[index].WaitAsync();

    /// <summary>Wake-ups released to agent <paramref name="index"/> and not yet waited for (-1 while it waits).</summary>
    internal int Owed(int index) => _due[index].Owed;

    private void Run()
    {
        var start = Stopwatch.GetTimestamp();
        while (!_stopped)
        {
            ReleaseDue(Stopwatch.GetTimestamp() - start);
            Thread.Sleep(1);
        }
    }

    /// <summary>Releases every wake-up due by <paramref name="elapsed"/> ticks after the start, each agent's in its own
    /// phase, however long since the last call.</summary>
    internal void ReleaseDue(long elapsed)
    {
        var n = _due.Length;
        while ((long)((_next / n + _next % n / (double)n) * _intervalTicks) <= elapsed)
        {
            _due[_next % n].Release();
            _next++;
        }
    }

    /// <summary>Stops pacing and wakes every agent once, so that those waiting see that the run is over.</summary>
    public void Dispose()
    {
        if (_stopped)
            return;
        _stopped = true;
        _thread?.Join();
        foreach (var due in _due)
            due.Release();
    }

    /// <summary>A counting signal for one waiter: releases not yet waited for are kept, so late agents catch up.</summary>
    private sealed class Signal : IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

        // Releases not yet taken; -1 while the agent waits.
        private int _count;

        public int Owed => Volatile.Read(ref _count);

        public ValueTask WaitAsync() =>
            Interlocked.Decrement(ref _count) >= 0 ? ValueTask.CompletedTask : new ValueTask(this, _core.Version);

        public void Release()
        {
            if (Interlocked.Increment(ref _count) <= 0)
                _core.SetResult(true);
        }

        public void GetResult(short token)
        {
            _core.GetResult(token);
            _core.Reset();
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}

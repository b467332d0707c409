using Microsoft.Extensions.Time.Testing;

namespace Gpunet.IntegrationTests.Support;

/// <summary>The fake clock of the service tier: coordinators run on it in-process, and time moves only when a test
/// calls <see cref="AdvanceAsync"/>, one <see cref="Step"/> at a time, each step a whole round of every background loop.</summary>
/// <remarks>
/// <para>How a round is known to be over, without polling: every coordinator loop waits on a one-shot timer of this
/// clock (<c>LoopTimer</c>, <c>Task.Delay(d, time)</c>). A step fires the timers that are due; each loop that woke arms
/// its next timer when its round is done. So a step is over when the clock again holds as many armed timers as there
/// are loops, and the work a loop posted elsewhere (the market's queue) has drained.</para>
/// <para>Before each step the clock runs the <see cref="BeforeStep"/> work (agents that are up heartbeat), after it the
/// <see cref="AfterStep"/> work (draining queues).</para>
/// </remarks>
internal sealed class SteppedClock : FakeTimeProvider
{
    /// <summary>How long a step is: every loop interval of the tier is one step.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    /// <summary>The longest the clock waits on real time for a round to finish: a failure, never a timing claim.</summary>
    private static readonly TimeSpan RoundDeadline = TimeSpan.FromSeconds(60);

    private readonly Lock _gate = new();
    private readonly List<Func<Task>> _before = [];
    private readonly List<Func<Task>> _after = [];
    private readonly List<(string Key, Action Run)> _fired = [];
    private TaskCompletionSource _changed = NewSignal();
    private int _armed;
    private int _loops;

    /// <summary>A clock starting at a whole minute of today (epochs and usage periods line up with whole steps).</summary>
    public SteppedClock()
        : base(new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero))
    {
        AutoAdvanceAmount = TimeSpan.Zero;
    }

    /// <summary>Runs the rounds of the loops that wake at one instant one after another, each over (and the queues it
    /// posted to drained) before the next begins, in an order fixed by the code that armed each timer rather than by which
    /// thread gets there first: a step then does the same in every run, as a seeded replay needs. Off by default: rounds
    /// run side by side, as in production.</summary>
    public bool SerialRounds { get; init; }

    /// <summary>Milliseconds since the Unix epoch, as the coordinator reads them.</summary>
    public long NowMs => GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Work run before every step (an agent's heartbeat), until the returned handle is disposed.</summary>
    public IDisposable BeforeStep(Func<Task> work) => Add(_before, work);

    /// <summary>Work run after every step, once the loops are back at their timers (draining a queue they posted to).</summary>
    public IDisposable AfterStep(Func<Task> work) => Add(_after, work);

    /// <summary>Counts <paramref name="count"/> more (or, negative, fewer) loops that wait on this clock.</summary>
    public void AddLoops(int count)
    {
        lock (_gate)
            _loops += count;
        Signal();
    }

    /// <summary>Waits until every loop is at its timer (after a start, or a step).</summary>
    public async Task IdleAsync()
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                // A loop whose timer fired and whose round has not been run yet (serial rounds) is at rest too.
                if (_armed + _fired.Count >= _loops)
                    break;
                changed = _changed.Task;
            }

            var left = RoundDeadline - TimeProvider.System.GetElapsedTime(deadline);
            if (left <= TimeSpan.Zero)
                throw new Xunit.Sdk.XunitException($"the background loops did not finish a round: {_armed} of {_loops} at their timers");
            await changed.WaitAsync(left).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        foreach (var work in Snapshot(_after))
            await work();
    }

    /// <summary>Moves time on by <paramref name="by"/> (rounded up to whole steps), one step at a time, each a full round.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        for (var done = TimeSpan.Zero; done < by; done += Step)
        {
            foreach (var work in Snapshot(_before))
                await work();
            await JumpAsync(Step);
        }
    }

    /// <summary>The whole process stops for <paramref name="by"/> (a long GC pause, a paused virtual machine): time jumps
    /// with no heartbeat before it, then each loop runs one round; what the agents sent meanwhile comes before the next
    /// step.</summary>
    public Task StallAsync(TimeSpan by) => JumpAsync(by);

    // Time moves on by `by` at once; the loops whose timers fell due run their round.
    private async Task JumpAsync(TimeSpan by)
    {
        Advance(by);
        await RunFiredAsync();
        await IdleAsync();
    }

    /// <summary>With <see cref="SerialRounds"/>: runs the rounds whose timers fired, one at a time, in the order of their
    /// keys.</summary>
    private async Task RunFiredAsync()
    {
        while (true)
        {
            (string Key, Action Run) next;
            lock (_gate)
            {
                if (_fired.Count == 0)
                    return;
                next = _fired.MinBy(f => f.Key, StringComparer.Ordinal);
                _fired.Remove(next);
            }

            next.Run();
            await IdleAsync();
        }
    }

    /// <summary>Lets the loops and queues finish what the last request started, without moving time.</summary>
    public Task SettleAsync() => IdleAsync();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Only one-shot timers are a loop waiting; a periodic timer (none in the coordinator's loops) is not counted, nor
        // is a deadline on work in progress (the market's per-work timeout, a session's drain): counted, it let a round
        // look over while a loop was still in it (a settlement read before it committed).
        if (period != Timeout.InfiniteTimeSpan || dueTime == Timeout.InfiniteTimeSpan || IsDeadline(state))
            return base.CreateTimer(callback, state, dueTime, period);
        var armed = new ArmedTimer(this);
        // Serial rounds: the loop is known by the code that armed its timer (its stack, without line numbers).
        var key = SerialRounds ? new System.Diagnostics.StackTrace(1, false).ToString() : "";
        armed.Inner = base.CreateTimer(s =>
        {
            if (SerialRounds)
            {
                lock (_gate)
                    _fired.Add((key, () => callback(s)));
            }

            armed.Disarm();
            if (!SerialRounds)
                callback(s);
        }, state, dueTime, period);
        return armed;
    }

    /// <summary>Whether a timer is a deadline on work rather than a loop at rest: a <see cref="CancellationTokenSource"/>'s
    /// timeout, or <see cref="Task.WaitAsync(TimeSpan, TimeProvider)"/>'s (the runtime's <c>CancellationPromise</c>; were it
    /// renamed, such a deadline would only be counted as a loop again, as before).</summary>
    private static bool IsDeadline(object? state) =>
        state is CancellationTokenSource || (state?.GetType().Name.StartsWith("CancellationPromise", StringComparison.Ordinal) ?? false);

    private void Arm(int delta)
    {
        lock (_gate)
            _armed += delta;
        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Removal Add(List<Func<Task>> list, Func<Task> work)
    {
        lock (_gate)
            list.Add(work);
        return new Removal(() =>
        {
            lock (_gate)
                list.Remove(work);
        });
    }

    private List<Func<Task>> Snapshot(List<Func<Task>> list)
    {
        lock (_gate)
            return [.. list];
    }

    private sealed class Removal(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }

    /// <summary>A one-shot timer counted as armed until it fires or is disposed.</summary>
    private sealed class ArmedTimer : ITimer
    {
        private readonly SteppedClock _clock;
        private int _disarmed;

        public ArmedTimer(SteppedClock clock)
        {
            _clock = clock;
            clock.Arm(1);
        }

        public ITimer Inner { get; set; } = null!;

        public void Disarm()
        {
            if (Interlocked.Exchange(ref _disarmed, 1) == 0)
                _clock.Arm(-1);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => Inner.Change(dueTime, period);

        public void Dispose()
        {
            Disarm();
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Disarm();
            return Inner.DisposeAsync();
        }
    }
}

namespace Gpunet.Simulation;

/// <summary>The simulated clock and its events: each step takes the earliest event (ties in the order scheduled),
/// moves the clock to it and runs it.</summary>
internal sealed class Scheduler(long startMs)
{
    private readonly PriorityQueue<Action, (long At, long Order)> _events = new();
    private long _order;

    /// <summary>The simulated time, Unix milliseconds.</summary>
    public long Now { get; private set; } = startMs;

    /// <summary>Steps taken so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Runs <paramref name="action"/> at <paramref name="at"/> (now, if that has passed).</summary>
    public void At(long at, Action action) => _events.Enqueue(action, (Math.Max(at, Now), _order++));

    /// <summary>Runs <paramref name="action"/> after <paramref name="delayMs"/>.</summary>
    public void After(long delayMs, Action action) => At(Now + delayMs, action);

    /// <summary>Takes one step; false when nothing is scheduled.</summary>
    public bool Step()
    {
        if (!_events.TryDequeue(out var action, out var key))
            return false;
        Now = key.At;
        Steps++;
        action();
        return true;
    }
}

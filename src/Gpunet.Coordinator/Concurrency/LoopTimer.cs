namespace Gpunet.Coordinator.Concurrency;

/// <summary>The tick of a background loop (host monitor, market, compliance sweep): like <see cref="PeriodicTimer"/>, ticks
/// fall on a fixed schedule of whole periods from the start, and a tick missed while the loop was busy is taken at once,
/// once.</summary>
/// <remarks>Each wait arms a one-shot timer of the <see cref="TimeProvider"/> (where <see cref="PeriodicTimer"/> arms one
/// for its whole life), so a clock that counts its timers knows when a loop is back at its wait: the fake-clock test tier
/// advances time and then waits for every loop that woke to arm its next tick, instead of polling.</remarks>
internal sealed class LoopTimer : IDisposable
{
    private readonly TimeSpan _period;
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly CancellationTokenSource _disposed = new();
    private long _ticks;

    /// <summary>How much later than due the last wait woke: the time the process could not run its timers (a long
    /// GC pause, a paused virtual machine, a starved machine). Zero when the tick fell while the loop worked, which
    /// is the loop's own slowness, not the process's.</summary>
    public TimeSpan Lateness { get; private set; }

    /// <summary>A timer ticking every <paramref name="period"/> of <paramref name="time"/>, counted from now.</summary>
    public LoopTimer(TimeSpan period, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        _period = period;
        _time = time;
        _start = time.GetTimestamp();
    }

    /// <summary>Runs <paramref name="tick"/> now and on every tick of <paramref name="period"/> until
    /// <paramref name="ct"/> is cancelled. A tick that throws is handed to <paramref name="failed"/> and the loop goes on:
    /// what the last good tick left stays, and the next tick tries again.</summary>
    public static async Task RunAsync(TimeSpan period, TimeProvider time, Func<CancellationToken, Task> tick, Action<Exception> failed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tick);
        ArgumentNullException.ThrowIfNull(failed);
        using var timer = new LoopTimer(period, time);
        try
        {
            do
            {
                try
                {
                    await tick(ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failed(e);
                }
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Waits for the next tick; false once <paramref name="ct"/> is cancelled or the timer disposed.</summary>
    public async ValueTask<bool> WaitForNextTickAsync(CancellationToken ct = default)
    {
        if (_disposed.IsCancellationRequested)
            return false;
        var elapsed = _time.GetElapsedTime(_start);
        var passed = elapsed.Ticks / _period.Ticks;
        if (passed > _ticks)
        {
            // One or more ticks fell while the loop worked: one is taken now, the rest are gone (as PeriodicTimer does).
            _ticks = passed;
            Lateness = TimeSpan.Zero;
            return true;
        }

        using var both = CancellationTokenSource.CreateLinkedTokenSource(ct, _disposed.Token);
        try
        {
            var due = TimeSpan.FromTicks((_ticks + 1) * _period.Ticks);
            await Task.Delay(due - elapsed, _time, both.Token);
            Lateness = _time.GetElapsedTime(_start) - due;
        }
        catch (OperationCanceledException)
        {
            if (ct.IsCancellationRequested)
                throw;
            return false;
        }

        _ticks++;
        return true;
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}

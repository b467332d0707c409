using System.Diagnostics;
using System.Threading.Channels;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>The market's one loop: work queued from any thread and run one piece at a time, each with
/// <see cref="Timeout"/> to finish; what is queued runs in the order it was queued.</summary>
/// <remarks>The market's state is touched only from here, so it needs no locks. Work accepted before a stop still runs
/// (a stop does not cut a placement between its commit and its lease).</remarks>
internal sealed partial class MarketWork(TimeProvider time, ILogger log)
{
    /// <summary>How long one piece of work may take (the store's wait included) before its token ends.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly Channel<(MarketWorkKind Kind, Func<CancellationToken, Task> Run)> _work =
        Channel.CreateUnbounded<(MarketWorkKind, Func<CancellationToken, Task>)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets <see cref="RunAsync{T}"/> callers in: the market has loaded its state.</summary>
    public void Ready() => _ready.TrySetResult();

    /// <summary>Completes once the market has loaded its state (see <see cref="Ready"/>).</summary>
    public Task Loaded => _ready.Task;

    /// <summary>No more work is taken; <see cref="RunQueuedAsync"/> ends once what was queued has run.</summary>
    public void Complete() => _work.Writer.TryComplete();

    /// <summary>How busy the loop has been, by kind of work.</summary>
    public MarketLoad Load { get; } = new();

    /// <summary>Runs <paramref name="work"/> once the market is loaded and returns its result (or its exception).</summary>
    public async Task<T> RunAsync<T>(MarketWorkKind kind, Func<CancellationToken, Task<T>> work)
    {
        await _ready.Task;
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The work's spans (placement, commit, dispatch) belong to the caller's trace (an order's request), not the loop's.
        var caller = Activity.Current;
        if (!_work.Writer.TryWrite((kind, async ct =>
        {
            try
            {
                Activity.Current = caller;
                done.TrySetResult(await work(ct));
            }
#pragma warning disable CA1031 // handed to the caller
            catch (Exception e)
#pragma warning restore CA1031
            {
                if (e is OperationCanceledException && ct.IsCancellationRequested)
                    LogWorkTimedOut(log, Timeout.TotalSeconds);
                done.TrySetException(e);
            }
        })))
            throw new InvalidOperationException("the coordinator is stopping");
        return await done.Task;
    }

    /// <summary>Queues <paramref name="work"/> at once, in call order (not after the load, as <see cref="RunAsync{T}"/>
    /// would); the task completes once it ran, failed (logged here) or could not be queued (stopping), and never faults.</summary>
    public Task Post(MarketWorkKind kind, Func<CancellationToken, Task> work)
    {
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_work.Writer.TryWrite((kind, async ct =>
        {
            try
            {
                await work(ct);
            }
            finally
            {
                ran.TrySetResult();
            }
        })))
            ran.TrySetResult();
        return ran.Task;
    }

    /// <summary>Runs the queued work one piece at a time until <see cref="Complete"/>, calling <paramref name="after"/>
    /// after each.</summary>
    public async Task RunQueuedAsync(Action after)
    {
        await foreach (var (kind, work) in _work.Reader.ReadAllAsync(CancellationToken.None))
        {
            using var timeout = new CancellationTokenSource(Timeout, time);
            var started = Stopwatch.GetTimestamp();
            try
            {
                await work(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                LogWorkTimedOut(log, Timeout.TotalSeconds);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogWorkFailed(log, e);
            }

            Load.Ran(kind, Stopwatch.GetTimestamp() - started);
            after();
        }
    }

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "Marketplace work failed")]
    private static partial void LogWorkFailed(ILogger logger, Exception e);

    [LoggerMessage(EventId = 4042, Level = LogLevel.Error, Message = "Marketplace work gave up after waiting {Seconds} s on the store; the next tick tries again")]
    private static partial void LogWorkTimedOut(ILogger logger, double seconds);
}

using System.Threading.Channels;

namespace Gpunet.Coordinator.Storage;

/// <summary>Group commit: items queued by many callers are saved together, one transaction per batch; a batch that
/// fails is retried item by item, so one bad item fails alone and each caller learns its own outcome.</summary>
/// <remarks>Thread-safe; one background loop does the writing. Queued items are not cancellable: once queued, an item
/// is written, and its caller must learn the outcome so memory and store agree.</remarks>
/// <typeparam name="TItem">What is written.</typeparam>
/// <typeparam name="TResult">What a caller learns when its item is written (or fails in an expected way).</typeparam>
internal sealed class BatchWriter<TItem, TResult> : IAsyncDisposable
    where TResult : class
{
    private readonly int _maxBatch;
    private readonly Func<IReadOnlyList<TItem>, Task> _save;
    private readonly Func<TItem, TResult> _saved;
    private readonly Func<TItem, Exception, TResult?> _failedAlone;
    private readonly Channel<(TItem Item, TaskCompletionSource<TResult> Done)> _queue =
        Channel.CreateUnbounded<(TItem, TaskCompletionSource<TResult>)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    /// <param name="maxBatch">Most items in one transaction.</param>
    /// <param name="save">Writes a batch in one transaction; throws if any item cannot be written.</param>
    /// <param name="saved">The outcome of an item that was written.</param>
    /// <param name="failedAlone">The outcome of an item that failed on its own, or null to hand the exception to its caller.</param>
    public BatchWriter(int maxBatch, Func<IReadOnlyList<TItem>, Task> save, Func<TItem, TResult> saved, Func<TItem, Exception, TResult?> failedAlone)
    {
        _maxBatch = maxBatch;
        _save = save;
        _saved = saved;
        _failedAlone = failedAlone;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Queues an item; completes when it is written, or known to have failed.</summary>
    public Task<TResult> EnqueueAsync(TItem item)
    {
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((item, done)))
            throw new InvalidOperationException("the coordinator is stopping");
        return done.Task;
    }

    /// <summary>Writes <paramref name="items"/> now, on the caller, in order: one transaction per <c>maxBatch</c> items,
    /// retried item by item when one fails. The background loop writes each queued batch through it; a caller that
    /// gathers its items itself calls it directly and does not wait for that loop to be scheduled, twice.</summary>
    /// <returns>Each item's outcome, completed, in the order of <paramref name="items"/>.</returns>
    public async Task<IReadOnlyList<Task<TResult>>> SaveNowAsync(IReadOnlyList<TItem> items)
    {
        var outcomes = new List<Task<TResult>>(items.Count);
        foreach (var chunk in items.Chunk(_maxBatch))
        {
            try
            {
                await _save(chunk);
                outcomes.AddRange(chunk.Select(item => Task.FromResult(_saved(item))));
            }
#pragma warning disable CA1031 // each item gets its own outcome below
            catch (Exception)
#pragma warning restore CA1031
            {
                foreach (var item in chunk)
                {
                    var done = new TaskCompletionSource<TResult>();
                    await SaveAloneAsync(item, done);
                    outcomes.Add(done.Task);
                }
            }
        }

        return outcomes;
    }

    private async Task LoopAsync()
    {
        var batch = new List<(TItem Item, TaskCompletionSource<TResult> Done)>(_maxBatch);
        var items = new List<TItem>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var p))
            {
                batch.Add(p);
                items.Add(p.Item);
            }

            // Written as a caller's own batch is (SaveNowAsync); each outcome goes to the one who queued it.
            var outcomes = await SaveNowAsync(items);
            for (var i = 0; i < batch.Count; i++)
            {
                if (outcomes[i].IsFaulted)
                    batch[i].Done.TrySetException(outcomes[i].Exception!.InnerExceptions);
                else
                    batch[i].Done.TrySetResult(outcomes[i].Result);
            }

            batch.Clear();
            items.Clear();
        }
    }

    private async Task SaveAloneAsync(TItem item, TaskCompletionSource<TResult> done)
    {
        try
        {
            await _save([item]);
            done.TrySetResult(_saved(item));
        }
#pragma warning disable CA1031 // handed to the caller
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (_failedAlone(item, e) is { } outcome)
                done.TrySetResult(outcome);
            else
                done.TrySetException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }
}

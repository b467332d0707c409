using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Storage;

/// <summary>Writes new hosts in batches: many agents registering at once (a coordinator restart, a fleet
/// coming online) cost one transaction per batch instead of one per host.</summary>
/// <remarks>Callers await their own row; a batch that fails is retried row by row so one bad row fails alone.</remarks>
internal sealed class RegistrationWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private readonly IDbContextFactory<GpunetDb> _dbFactory;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public RegistrationWriter(IDbContextFactory<GpunetDb> dbFactory)
    {
        _dbFactory = dbFactory;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Queues a new host; completes when its batch is committed. Not cancellable: once queued, the row is
    /// written, and the caller must learn the outcome so memory and store agree.</summary>
    public Task InsertAsync(HostRecord host, HostTransitionRecord transition)
    {
        var pending = new Pending(host, transition, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
            throw new InvalidOperationException("the coordinator is stopping");
        return pending.Done.Task;
    }

    private async Task LoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var p))
                batch.Add(p);
            try
            {
                await SaveAsync(batch);
                foreach (var p in batch)
                    p.Done.TrySetResult();
            }
#pragma warning disable CA1031 // each caller gets its own outcome below
            catch (Exception)
#pragma warning restore CA1031
            {
                foreach (var p in batch)
                {
                    try
                    {
                        await SaveAsync([p]);
                        p.Done.TrySetResult();
                    }
#pragma warning disable CA1031 // handed to the caller
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        p.Done.TrySetException(e);
                    }
                }
            }

            batch.Clear();
        }
    }

    private async Task SaveAsync(List<Pending> batch)
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        foreach (var p in batch)
        {
            db.Hosts.Add(p.Host);
            db.HostTransitions.Add(p.Transition);
        }

        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private sealed record Pending(HostRecord Host, HostTransitionRecord Transition, TaskCompletionSource Done);
}

using System.Threading.Channels;
using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Scheduling;

/// <summary>Commits placements in batches, one transaction per batch: each host's capacity row is updated once
/// (checked against the version its first placement expected, written with its last placement's values) and each
/// placement's allocation row is inserted.</summary>
/// <remarks>Callers await their own placement. A batch that fails (a version conflict, or anything else) is rolled
/// back and retried placement by placement, so only the conflicting ones fail, with <see cref="PlacementConflict"/>.</remarks>
internal sealed class PlacementWriter : IAsyncDisposable
{
    private const int MaxBatch = 1024;
    private readonly IDbContextFactory<GpunetDb> _dbFactory;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public PlacementWriter(IDbContextFactory<GpunetDb> dbFactory)
    {
        _dbFactory = dbFactory;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Queues a placement; completes when its batch is committed or it is known to conflict. Not
    /// cancellable: once queued, the caller must learn the outcome so memory and store agree.</summary>
    public Task<PlacementResult> CommitAsync(PlacementCommit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var pending = new Pending(commit, new TaskCompletionSource<PlacementResult>(TaskCreationOptions.RunContinuationsAsynchronously));
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
                    p.Done.TrySetResult(new PlacementCommitted(p.Commit.Allocation.Id, p.Commit.HostId, p.Commit.ExpectedVersion + 1));
            }
#pragma warning disable CA1031 // each caller gets its own outcome below
            catch (Exception)
#pragma warning restore CA1031
            {
                foreach (var p in batch)
                    await SaveOneAsync(p);
            }

            batch.Clear();
        }
    }

    private async Task SaveOneAsync(Pending p)
    {
        try
        {
            await SaveAsync([p]);
            p.Done.TrySetResult(new PlacementCommitted(p.Commit.Allocation.Id, p.Commit.HostId, p.Commit.ExpectedVersion + 1));
        }
        catch (DbUpdateConcurrencyException)
        {
            p.Done.TrySetResult(new PlacementConflict(p.Commit.Allocation.Id, p.Commit.HostId));
        }
#pragma warning disable CA1031 // handed to the caller
        catch (Exception e)
#pragma warning restore CA1031
        {
            p.Done.TrySetException(e);
        }
    }

    private async Task SaveAsync(List<Pending> batch)
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var hosts = new Dictionary<string, HostCapacityRecord>(StringComparer.Ordinal);
        foreach (var p in batch)
        {
            var c = p.Commit;
            if (!hosts.TryGetValue(c.HostId, out var row))
            {
                // Attached at the version the first placement expected: that is the concurrency check.
                row = new HostCapacityRecord { HostId = c.HostId, Version = c.ExpectedVersion };
                db.HostCapacity.Attach(row);
                hosts.Add(c.HostId, row);
            }
            else if (row.Version != c.ExpectedVersion)
            {
                // Placements on one host chain versions; a gap means the caller decided against another state.
                throw new DbUpdateConcurrencyException($"host {c.HostId}: placement expects version {c.ExpectedVersion}, the batch has {row.Version}");
            }

            var entry = db.Entry(row);
            entry.Property(r => r.FreeCpuMilli).CurrentValue = c.FreeCpuMilli;
            entry.Property(r => r.FreeMemoryMib).CurrentValue = c.FreeMemoryMib;
            entry.Property(r => r.FreeGpuMilli).CurrentValue = c.FreeGpuMilli;
            entry.Property(r => r.Version).CurrentValue = c.ExpectedVersion + 1;
            entry.Property(r => r.FreeCpuMilli).IsModified = true;
            entry.Property(r => r.FreeMemoryMib).IsModified = true;
            entry.Property(r => r.FreeGpuMilli).IsModified = true;
            entry.Property(r => r.Version).IsModified = true;
            db.Allocations.Add(c.Allocation);
        }

        await db.SaveChangesAsync(acceptAllChangesOnSuccess: false);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private sealed record Pending(PlacementCommit Commit, TaskCompletionSource<PlacementResult> Done);
}

using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Storage;

/// <summary>Writes new hosts in batches: many agents registering at once (a coordinator restart, a fleet
/// coming online) cost one transaction per batch instead of one per host.</summary>
/// <remarks>Callers await their own row; a batch that fails is retried row by row so one bad row fails alone.</remarks>
internal sealed class RegistrationWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private readonly IDbContextFactory<GpunetDb> _dbFactory;
    private readonly OwnHostChanges _own;
    private readonly BatchWriter<(HostRecord Host, HostTransitionRecord Transition), HostRecord> _writer;

    public RegistrationWriter(IDbContextFactory<GpunetDb> dbFactory, OwnHostChanges own)
    {
        _dbFactory = dbFactory;
        _own = own;
        _writer = new(MaxBatch, SaveAsync, item => item.Host, (_, _) => null);
    }

    /// <summary>Queues a new host; completes when its batch is committed. Not cancellable: once queued, the row is
    /// written, and the caller must learn the outcome so memory and store agree.</summary>
    public Task InsertAsync(HostRecord host, HostTransitionRecord transition) => _writer.EnqueueAsync((host, transition));

    private async Task SaveAsync(IReadOnlyList<(HostRecord Host, HostTransitionRecord Transition)> batch)
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        var changes = db.Database.IsSqlite() ? await SaveOnSqliteAsync(db, batch) : await SaveTrackedAsync(db, batch);
        // The registering coordinator holds these hosts already (it added them before queueing the write).
        _own.Committed(changes);
    }

    /// <summary>SQLite: each row through one prepared statement per table, in one transaction. EF's change tracker cost
    /// several times the inserts (a reconnect storm's writer spent ~2 ms per host in SaveChanges).</summary>
    private static async Task<List<HostChangeRecord>> SaveOnSqliteAsync(GpunetDb db, IReadOnlyList<(HostRecord Host, HostTransitionRecord Transition)> batch)
    {
        var changes = new List<HostChangeRecord>(batch.Count);
        await db.Database.OpenConnectionAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        using (var hosts = new SqliteRowInserter<HostRecord>(db))
        using (var gpus = new SqliteRowInserter<GpuRecord>(db))
        using (var transitions = new SqliteRowInserter<HostTransitionRecord>(db))
        using (var feed = new SqliteRowInserter<HostChangeRecord>(db))
        {
            foreach (var (host, transition) in batch)
            {
                hosts.Insert(host);
                foreach (var gpu in host.Gpus)
                    gpus.Insert(gpu);
                transition.Id = transitions.Insert(transition);
                var change = new HostChangeRecord { HostId = host.Id, Kind = HostChangeKinds.Registered, At = transition.At };
                change.Id = feed.Insert(change);
                changes.Add(change);
            }
        }

        await tx.CommitAsync();
        return changes;
    }

    /// <summary>PostgreSQL: through EF, which sends the batch's inserts in few round trips.</summary>
    private static async Task<List<HostChangeRecord>> SaveTrackedAsync(GpunetDb db, IReadOnlyList<(HostRecord Host, HostTransitionRecord Transition)> batch)
    {
        var changes = new List<HostChangeRecord>(batch.Count);
        foreach (var (host, transition) in batch)
        {
            db.Hosts.Add(host);
            db.HostTransitions.Add(transition);
            changes.Add(new HostChangeRecord { HostId = host.Id, Kind = HostChangeKinds.Registered, At = transition.At });
        }

        db.HostChanges.AddRange(changes);
        await db.SaveChangesAsync();
        return changes;
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}

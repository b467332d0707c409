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
        var changes = new List<HostChangeRecord>(batch.Count);
        foreach (var (host, transition) in batch)
        {
            db.Hosts.Add(host);
            db.HostTransitions.Add(transition);
            changes.Add(new HostChangeRecord { HostId = host.Id, Kind = HostChangeKinds.Registered, At = transition.At });
        }

        db.HostChanges.AddRange(changes);
        await db.SaveChangesAsync();
        // The registering coordinator holds these hosts already (it added them before queueing the write).
        _own.Committed(changes);
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}

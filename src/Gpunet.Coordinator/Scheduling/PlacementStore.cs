using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Scheduling;

/// <summary>Durable placements: hosts' free capacity rows and allocation rows, shared by every coordinator on the
/// store. A placement is committed only if its host's row is still at the version the decision was made against.</summary>
/// <remarks>Thread-safe: every call uses its own short-lived <see cref="GpunetDb"/>; commits go through the batching
/// <see cref="PlacementWriter"/>.</remarks>
internal sealed class PlacementStore(IDbContextFactory<GpunetDb> dbFactory, PlacementWriter writer)
{
    /// <summary>Adds capacity rows for new hosts, in one transaction.</summary>
    public async Task AddHostsAsync(IEnumerable<HostCapacityRecord> hosts, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.HostCapacity.AddRange(hosts);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Queues a placement; completes with <see cref="PlacementCommitted"/> once its batch is committed, or
    /// <see cref="PlacementConflict"/> when the host's row moved on.</summary>
    public Task<PlacementResult> CommitAsync(PlacementCommit commit) => writer.CommitAsync(commit);

    /// <summary>A host's stored capacity, to refresh it after a conflict; null for an unknown host.</summary>
    public async Task<HostCapacityRecord?> CapacityAsync(string hostId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.HostCapacity.AsNoTracking().FirstOrDefaultAsync(c => c.HostId == hostId, ct);
    }

    public async Task<List<HostCapacityRecord>> AllCapacityAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.HostCapacity.AsNoTracking().ToListAsync(ct);
    }

    public async Task<List<AllocationRecord>> AllocationsAsync(string hostId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Allocations.AsNoTracking().Where(a => a.HostId == hostId).ToListAsync(ct);
    }

    public async Task<int> AllocationCountAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Allocations.CountAsync(ct);
    }
}

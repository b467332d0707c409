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

    /// <summary>Commits placements and releases now, in one transaction; each outcome as <see cref="CommitAsync"/>'s
    /// (see <see cref="PlacementWriter.CommitNowAsync"/>).</summary>
    public Task<IReadOnlyList<Task<PlacementResult>>> CommitNowAsync(IReadOnlyList<PlacementCommit> commits) => writer.CommitNowAsync(commits);

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

    /// <summary>The ids of every allocation no lease of <paramref name="held"/> holds (allocation ids of placed leases).</summary>
    public async Task<List<string>> AllocationsBesidesAsync(IReadOnlySet<string> held, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Ids only, streamed: the ones held are the many, the others rare.
        var others = new List<string>();
        await foreach (var id in db.Allocations.AsNoTracking().Select(a => a.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (!held.Contains(id))
                others.Add(id);
        }

        return others;
    }

    public async Task<int> AllocationCountAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Allocations.CountAsync(ct);
    }

    public async Task<AllocationRecord?> AllocationAsync(string id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Allocations.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
    }

    /// <summary>Capacity rows for hosts: <paramref name="fresh"/>'s rows are inserted where none is stored (another
    /// coordinator may add the same host at the same time: the first row wins), then what is stored is read.</summary>
    public async Task<List<HostCapacityRecord>> EnsureCapacityAsync(IReadOnlyList<HostCapacityRecord> fresh, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Insert-if-absent in one statement per chunk (both SQLite and PostgreSQL take ON CONFLICT DO NOTHING).
            foreach (var chunk in fresh.Chunk(500))
            {
                var sql = new System.Text.StringBuilder(
                    "INSERT INTO host_capacity (\"HostId\", \"FreeCpuMilli\", \"FreeMemoryMib\", \"FreeGpuMilli\", \"Version\") VALUES ");
                var args = new List<object>(chunk.Length * 4);
                for (var i = 0; i < chunk.Length; i++)
                {
                    var n = args.Count;
                    sql.Append(i > 0 ? ", " : "").Append(System.Globalization.CultureInfo.InvariantCulture, $"({{{n}}}, {{{n + 1}}}, {{{n + 2}}}, {{{n + 3}}}, 0)");
                    args.AddRange([chunk[i].HostId, chunk[i].FreeCpuMilli, chunk[i].FreeMemoryMib, chunk[i].FreeGpuMilli]);
                }

                sql.Append(" ON CONFLICT (\"HostId\") DO NOTHING");
                await db.Database.ExecuteSqlRawAsync(sql.ToString(), args, ct);
            }

            await tx.CommitAsync(ct);
        }

        // In slices: a list of ids is one parameter each, and SQLite takes at most 32,766 (100,000 hosts failed the start).
        var rows = new List<HostCapacityRecord>(fresh.Count);
        foreach (var slice in fresh.Select(f => f.HostId).Chunk(10_000))
            rows.AddRange(await db.HostCapacity.AsNoTracking().Where(c => slice.Contains(c.HostId)).ToListAsync(ct));
        return rows;
    }

    /// <summary>The sum of every capacity row's version: it grows with every change anyone commits.</summary>
    public async Task<long> CapacityVersionSumAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.HostCapacity.SumAsync(c => c.Version, ct);
    }

    /// <summary>Every host's capacity version.</summary>
    public async Task<List<(string HostId, long Version)>> CapacityVersionsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return [.. (await db.HostCapacity.AsNoTracking().Select(c => new { c.HostId, c.Version }).ToListAsync(ct)).Select(c => (c.HostId, c.Version))];
    }
}

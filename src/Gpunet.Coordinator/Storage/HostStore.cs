using System.Linq.Expressions;
using Gpunet.Core.Hosts;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Storage;

/// <summary>Reads and writes hosts, their GPUs and their state transitions.</summary>
/// <remarks>Thread-safe: every call uses its own short-lived <see cref="GpunetDb"/>.</remarks>
internal sealed class HostStore(IDbContextFactory<GpunetDb> dbFactory, RegistrationWriter newHosts, OwnHostChanges own)
{
    /// <summary>Most host ids in one statement's <c>IN</c> list: EF binds each as its own parameter, and SQLite takes at
    /// most 32,766 (a coordinator of 100,000 hosts failed to flush their last-heard times, or to look up 64,000 silent ones).</summary>
    internal const int MaxIdsPerStatement = 5_000;

    /// <summary>Makes the schema of a new store, or upgrades an existing one by migration (see
    /// <see cref="StoreSchema"/>); a store from a newer coordinator is refused.</summary>
    public Task EnsureSchemaAsync(CancellationToken ct) => StoreSchema.EnsureAsync(dbFactory, ct);

    public async Task<List<HostRecord>> LoadAllAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Hosts.AsNoTracking().Include(h => h.Gpus).AsSplitQuery().ToListAsync(ct);
    }

    public async Task<HostRecord?> FindByFingerprintAsync(string fingerprint, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Hosts.AsNoTracking().Include(h => h.Gpus).FirstOrDefaultAsync(h => h.Fingerprint == fingerprint, ct);
    }

    /// <summary>The hosts other than <paramref name="hostId"/> that hold a GPU with one of <paramref name="uuids"/>,
    /// one entry per GPU, with their operator and when they were last heard (as stored).</summary>
    public async Task<List<GpuHolder>> GpuHoldersAsync(IReadOnlyCollection<string> uuids, string hostId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Gpus.AsNoTracking()
            .Where(g => uuids.Contains(g.Uuid) && g.HostId != hostId)
            .Join(db.Hosts, g => g.HostId, h => h.Id, (g, h) => new GpuHolder(g.Uuid, h.Id, h.Address, h.LastHeardAt, false))
            .ToListAsync(ct);
    }

    /// <summary>Takes the GPUs with <paramref name="uuids"/> off host <paramref name="hostId"/>'s record, so another
    /// host may hold them (the unique index on a GPU's UUID allows one holder).</summary>
    public async Task ReleaseGpusAsync(string hostId, IReadOnlyCollection<string> uuids, DateTimeOffset at, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Gpus.Where(g => g.HostId == hostId && uuids.Contains(g.Uuid)).ExecuteDeleteAsync(ct);
        db.HostChanges.Add(new HostChangeRecord { HostId = hostId, Kind = HostChangeKinds.Gpus, At = at });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Inserts a new host with its first transition, batched with other registrations.</summary>
    public Task InsertHostAsync(HostRecord host, HostTransitionRecord transition) => newHosts.InsertAsync(host, transition);

    /// <summary>Updates a known host's description. State, last-heard and registration time are left alone: the
    /// host monitor owns those, and a description update must not write back a stale state.</summary>
    public async Task UpdateHostAsync(HostRecord host, DateTimeOffset at, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        {
            db.HostChanges.Add(new HostChangeRecord { HostId = host.Id, Kind = HostChangeKinds.Described, At = at });
            var existing = await db.Hosts.Include(h => h.Gpus).FirstAsync(h => h.Id == host.Id, ct);
            existing.Hostname = host.Hostname;
            existing.Country = host.Country;
            existing.Region = host.Region;
            existing.Latitude = host.Latitude;
            existing.Longitude = host.Longitude;
            existing.PublicIp = host.PublicIp;
            existing.PriceUsdPerGpuHour = host.PriceUsdPerGpuHour;
            existing.DriverVersion = host.DriverVersion;
            existing.CudaVersion = host.CudaVersion;
            existing.CpuModel = host.CpuModel;
            existing.CpuCores = host.CpuCores;
            existing.MemoryMb = host.MemoryMb;
            existing.Simulated = host.Simulated;
            existing.AgentVersion = host.AgentVersion;
            db.Gpus.RemoveRange(existing.Gpus);
            existing.Gpus = host.Gpus.Select(g => new GpuRecord
            {
                HostId = g.HostId, Index = g.Index, Uuid = g.Uuid, Model = g.Model, SmiName = g.SmiName,
                MemoryTotalMib = g.MemoryTotalMib, PciBusId = g.PciBusId,
            }).ToList();
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>Applies state transitions and records them, in one transaction.</summary>
    public Task ApplyTransitionsAsync(IReadOnlyList<HostTransition> transitions, CancellationToken ct) => ApplyTransitionsAsync(transitions, null, ct);

    /// <summary>Applies state transitions and records them, in one transaction; with a <paramref name="fence"/>, only
    /// while it holds the leader lease (<see cref="Leadership.LeadershipLostException"/> and nothing written otherwise).</summary>
    public async Task ApplyTransitionsAsync(IReadOnlyList<HostTransition> transitions, Leadership.LeaderFence? fence, CancellationToken ct)
    {
        if (transitions.Count == 0)
            return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (fence is not null)
            await Leadership.LeadershipStore.CheckAsync(db, fence, ct);
        var changes = db.Database.IsSqlite() ? ApplyOnSqlite(db, transitions) : await ApplyTrackedAsync(db, transitions, ct);
        await tx.CommitAsync(ct);
        // Every writer of transitions applied them to its registry first (and undoes them if this throws).
        own.Committed(changes);
    }

    /// <summary>SQLite: one prepared update and two prepared inserts, bound per transition. A transition of a host not
    /// stored (its registration's row still queued) is left out, as <see cref="ApplyTrackedAsync"/> leaves it out.</summary>
    private static List<HostChangeRecord> ApplyOnSqlite(GpunetDb db, IReadOnlyList<HostTransition> transitions)
    {
        var stored = new HashSet<string>(StringComparer.Ordinal);
        using (var hosts = new SqliteRowUpdater<HostRecord>(db, nameof(HostRecord.State), nameof(HostRecord.StateReason), nameof(HostRecord.StateSince)))
        using (var rows = new SqliteRowInserter<HostTransitionRecord>(db))
        {
            foreach (var t in transitions)
            {
                if (!hosts.Update(t.To.ToString(), t.Reason, t.At, t.HostId))
                    continue;
                stored.Add(t.HostId);
                rows.Insert(new HostTransitionRecord { HostId = t.HostId, From = t.From.ToString(), To = t.To.ToString(), Reason = t.Reason, At = t.At });
            }
        }

        var changes = stored.Select(id => new HostChangeRecord { HostId = id, Kind = HostChangeKinds.State, At = transitions[^1].At }).ToList();
        using var feed = new SqliteRowInserter<HostChangeRecord>(db);
        foreach (var change in changes)
            change.Id = feed.Insert(change);
        return changes;
    }

    /// <summary>Elsewhere (PostgreSQL): through EF's change tracker, which sends the batch in few round trips.</summary>
    private static async Task<List<HostChangeRecord>> ApplyTrackedAsync(GpunetDb db, IReadOnlyList<HostTransition> transitions, CancellationToken ct)
    {
        var hosts = new Dictionary<string, HostRecord>(StringComparer.Ordinal);
        foreach (var ids in transitions.Select(t => t.HostId).Distinct().Chunk(MaxIdsPerStatement))
        {
            foreach (var host in await db.Hosts.Where(h => ids.Contains(h.Id)).ToListAsync(ct))
                hosts[host.Id] = host;
        }

        var changes = hosts.Keys.Select(id => new HostChangeRecord { HostId = id, Kind = HostChangeKinds.State, At = transitions[^1].At }).ToList();
        db.HostChanges.AddRange(changes);
        foreach (var t in transitions)
        {
            if (!hosts.TryGetValue(t.HostId, out var host))
                continue;
            host.State = t.To.ToString();
            host.StateReason = t.Reason;
            host.StateSince = t.At;
            db.HostTransitions.Add(new HostTransitionRecord
            {
                HostId = t.HostId, From = t.From.ToString(), To = t.To.ToString(), Reason = t.Reason, At = t.At,
            });
        }

        await db.SaveChangesAsync(ct);
        return changes;
    }

    /// <summary>Marks hosts as heard at <paramref name="at"/>: one statement for the whole batch.</summary>
    public async Task TouchHeardAsync(IReadOnlyCollection<string> hostIds, DateTimeOffset at, CancellationToken ct) =>
        await TouchHeardAsync([(at, hostIds)], [], ct);

    /// <summary>Writes last-heard times and heard-since times (since when each host has been heard without a silence
    /// longer than the heard gap), one statement per distinct time, all in one transaction.</summary>
    public async Task TouchHeardAsync(
        IEnumerable<(DateTimeOffset At, IReadOnlyCollection<string> HostIds)> lastHeard,
        IEnumerable<(DateTimeOffset Since, IReadOnlyCollection<string> HostIds)> heardSince, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await SetAsync(h => h.LastHeardAt, lastHeard);
        await SetAsync(h => h.HeardSince, heardSince);
        await tx.CommitAsync(ct);

        async Task SetAsync(Expression<Func<HostRecord, DateTimeOffset?>> column, IEnumerable<(DateTimeOffset, IReadOnlyCollection<string>)> groups)
        {
            foreach (var (at, hostIds) in groups)
            {
                if (hostIds.Count == 0)
                    continue;
                foreach (var ids in hostIds.Chunk(MaxIdsPerStatement))
                    await db.Hosts.Where(h => ids.Contains(h.Id)).ExecuteUpdateAsync(s => s.SetProperty(column, at), ct);
            }
        }
    }

    /// <summary>Records that a lease was placed or ended on <paramref name="hostId"/> by a coordinator that does not hold
    /// its agent's stream: the one that does reads the change (at once on PostgreSQL) and tells the agent.</summary>
    public async Task NoteLeaseChangeAsync(string hostId, DateTimeOffset at, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.HostChanges.Add(new HostChangeRecord { HostId = hostId, Kind = HostChangeKinds.Leases, At = at });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The latest change's sequence number; 0 when there is none.</summary>
    public async Task<long> LastChangeAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.HostChanges.MaxAsync(c => (long?)c.Id, ct) ?? 0;
    }

    /// <summary>Up to <paramref name="limit"/> changes after sequence number <paramref name="after"/>, oldest first.</summary>
    public async Task<List<HostChangeRecord>> ChangesAfterAsync(long after, int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.HostChanges.AsNoTracking().Where(c => c.Id > after).OrderBy(c => c.Id).Take(limit).ToListAsync(ct);
    }

    /// <summary>Deletes up to <paramref name="limit"/> of the oldest change rows written before <paramref name="before"/>;
    /// returns how many it deleted. Sequence numbers are never handed out again (PostgreSQL's identity, SQLite's
    /// AUTOINCREMENT), so no reader's cursor goes back.</summary>
    public async Task<int> DeleteChangesBeforeAsync(DateTimeOffset before, int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.HostChanges.AsNoTracking().Where(c => c.At < before).OrderBy(c => c.Id).Select(c => c.Id).Take(limit).ToListAsync(ct);
        return ids.Count == 0 ? 0 : await db.HostChanges.Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(ct);
    }

    /// <summary>The stored rows (with their GPUs) of the hosts with <paramref name="ids"/>.</summary>
    public async Task<List<HostRecord>> HostsAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hosts = new List<HostRecord>(ids.Count);
        foreach (var chunk in ids.Chunk(MaxIdsPerStatement))
            hosts.AddRange(await db.Hosts.AsNoTracking().Where(h => chunk.Contains(h.Id)).Include(h => h.Gpus).AsSplitQuery().ToListAsync(ct));
        return hosts;
    }

    /// <summary>When each of the hosts with <paramref name="ids"/> was last heard, as stored (by whichever coordinator
    /// hears it); hosts never heard are left out.</summary>
    public async Task<List<(string Id, DateTimeOffset LastHeardAt)>> LastHeardAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var heard = new List<(string, DateTimeOffset)>(ids.Count);
        foreach (var chunk in ids.Chunk(MaxIdsPerStatement))
        {
            var rows = await db.Hosts.AsNoTracking().Where(h => chunk.Contains(h.Id) && h.LastHeardAt != null)
                .Select(h => new { h.Id, h.LastHeardAt }).ToListAsync(ct);
            heard.AddRange(rows.Select(r => (r.Id, r.LastHeardAt!.Value)));
        }

        return heard;
    }

    public async Task<List<HostTransitionRecord>> TransitionsAsync(string hostId, int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var newest = await db.HostTransitions.AsNoTracking()
            .Where(t => t.HostId == hostId).OrderByDescending(t => t.Id).Take(limit).ToListAsync(ct);
        newest.Reverse();
        return newest;
    }
}

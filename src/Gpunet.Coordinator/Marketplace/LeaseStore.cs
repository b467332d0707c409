using Gpunet.Coordinator.Storage;
using Gpunet.Core.Marketplace;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>Orders, leases, their history and their logs in the store. The store is the truth about a lease: every
/// change is checked against the version it was read at, so two coordinators cannot both move one lease.</summary>
/// <remarks>Thread-safe: every call uses its own short-lived <see cref="GpunetDb"/>. Each change it stores is told to the
/// lease's watchers (<see cref="LeaseLogFeed.Changed"/>: a console's live lease page).</remarks>
internal sealed class LeaseStore(IDbContextFactory<GpunetDb> dbFactory, LeaseLogFeed feed) : IAsyncDisposable
{
    private const int MaxLogBatch = 1024;

    private readonly BatchWriter<LeaseLogRecord, object> _logs = new(MaxLogBatch, items => SaveLogsAsync(dbFactory, items), _ => Saved, (_, _) => Saved);
    private static readonly object Saved = new();

    /// <summary>Stores a new order with its leases and their first history step, in one transaction.</summary>
    public async Task CreateOrderAsync(OrderRecord order, IReadOnlyList<LeaseRecord> leases, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await AddOrderAsync(db, order, leases, [], ct);
    }

    /// <summary>Stores an order with its leases (and their first event) and their billing rows in
    /// <paramref name="tx"/>, the ledger's transaction, so an order exists exactly when its escrow does.</summary>
    /// <remarks>On SQLite the rows go through prepared statements (<see cref="SqliteRowInserter{T}"/>) and no context:
    /// SQLite's one write lock is held there, and EF's change tracker took about 5 ms an order (14 of a ledger batch's
    /// 15 ms under the lock), setting up a context 0.7 ms against the rows' 0.6, which every other writer waited out.</remarks>
    public static async Task AddOrderAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, OrderRecord order,
        IReadOnlyList<LeaseRecord> leases, IReadOnlyList<LeaseBillingRecord> billing, CancellationToken ct)
    {
        if (connection is not Microsoft.Data.Sqlite.SqliteConnection)
        {
            await using var db = GpunetDb.On(connection, tx);
            await AddOrderAsync(db, order, leases, billing, ct);
            return;
        }

        var model = GpunetDb.SqliteModel;
        Insert(model, connection, [order]);
        Insert(model, connection, leases);
        Insert(model, connection, [.. leases.Select(l => Event(l, l.StateReason, order.CreatedAt))]);
        Insert(model, connection, billing);
    }

    private static async Task AddOrderAsync(GpunetDb db, OrderRecord order, IReadOnlyList<LeaseRecord> leases, IReadOnlyList<LeaseBillingRecord> billing,
        CancellationToken ct)
    {
        db.Orders.Add(order);
        db.Leases.AddRange(leases);
        db.LeaseEvents.AddRange(leases.Select(l => Event(l, l.StateReason, order.CreatedAt)));
        db.LeaseBilling.AddRange(billing);
        await db.SaveChangesAsync(ct);
    }

    private static void Insert<T>(IModel model, System.Data.Common.DbConnection connection, IReadOnlyList<T> rows)
        where T : class
    {
        if (rows.Count == 0)
            return;
        using var insert = new SqliteRowInserter<T>(model, connection);
        foreach (var row in rows)
            insert.Insert(row);
    }

    /// <summary>Records a broken promise for the next epoch's settlement to slash.</summary>
    public async Task AddSlashEventAsync(SlashEventRecord slash, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.SlashEvents.Add(slash);
        await db.SaveChangesAsync(ct);
    }

    public async Task<OrderRecord?> OrderAsync(string id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
    }

    public async Task<LeaseRecord?> LeaseAsync(string id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Leases.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, ct);
    }

    /// <summary>Leases by owner (null: everyone's), newest first.</summary>
    public async Task<List<LeaseRecord>> LeasesAsync(string? owner, int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Leases.AsNoTracking();
        if (owner is not null)
            q = q.Where(l => l.Owner == owner);
        return await q.OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id).Take(limit).ToListAsync(ct);
    }

    /// <summary>The running leases of <paramref name="owner"/>, however many others it has (the (owner, state) index).</summary>
    public async Task<List<LeaseRecord>> RunningLeasesAsync(string owner, CancellationToken ct)
    {
        const string running = nameof(LeaseState.Running);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Leases.AsNoTracking().Where(l => l.Owner == owner && l.State == running).ToListAsync(ct);
    }

    public async Task<List<LeaseRecord>> OrderLeasesAsync(string orderId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Leases.AsNoTracking().Where(l => l.OrderId == orderId).OrderBy(l => l.Member).ToListAsync(ct);
    }

    /// <summary>Leases not yet ended.</summary>
    public async Task<List<LeaseRecord>> OpenLeasesAsync(CancellationToken ct)
    {
        string[] open = [nameof(LeaseState.Pending), nameof(LeaseState.Starting), nameof(LeaseState.Running)];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Leases.AsNoTracking().Where(l => open.Contains(l.State)).ToListAsync(ct);
    }

    /// <summary>The leases with these ids, by id (ids with no lease are left out).</summary>
    public async Task<Dictionary<string, LeaseRecord>> LeasesAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var list = ids as List<string> ?? [.. ids];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Leases.AsNoTracking().Where(l => list.Contains(l.Id)).ToDictionaryAsync(l => l.Id, StringComparer.Ordinal, ct);
    }

    /// <summary>Those of <paramref name="ids"/> that have ended.</summary>
    public async Task<List<LeaseRecord>> EndedAmongAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        string[] open = [nameof(LeaseState.Pending), nameof(LeaseState.Starting), nameof(LeaseState.Running)];
        var list = ids as List<string> ?? [.. ids];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Leases.AsNoTracking().Where(l => list.Contains(l.Id) && !open.Contains(l.State)).ToListAsync(ct);
    }

    /// <summary>Leases placed on <paramref name="hostId"/> and not ended.</summary>
    public async Task<List<LeaseRecord>> PlacedOnAsync(string hostId, CancellationToken ct)
    {
        string[] placed = [nameof(LeaseState.Starting), nameof(LeaseState.Running)];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Leases.AsNoTracking().Where(l => l.HostId == hostId && placed.Contains(l.State)).ToListAsync(ct);
    }

    /// <summary>Leases placed and waiting to start (few at any moment).</summary>
    public async Task<List<LeaseRecord>> StartingAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Leases.AsNoTracking().Where(l => l.State == nameof(LeaseState.Starting)).ToListAsync(ct);
    }

    /// <summary>Writes <paramref name="changed"/> (read at version <paramref name="changed"/>.Version) and its history step,
    /// in one transaction. False, writing nothing, when the lease moved on since it was read.</summary>
    public Task<bool> SaveAsync(IReadOnlyList<LeaseRecord> changed, DateTimeOffset at, CancellationToken ct) => SaveAsync(changed, at, null, ct);

    /// <summary>Like <see cref="SaveAsync(IReadOnlyList{LeaseRecord}, DateTimeOffset, CancellationToken)"/>; with a
    /// <paramref name="fence"/>, only while it holds the leader lease (<see cref="Leadership.LeadershipLostException"/>
    /// and nothing written otherwise): a leader's duty.</summary>
    public async Task<bool> SaveAsync(IReadOnlyList<LeaseRecord> changed, DateTimeOffset at, Leadership.LeaderFence? fence, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (db.Database.IsSqlite())
            return await SaveOnSqliteAsync(db, changed, at, fence, ct);
        await using var tx = fence is null ? null : await db.Database.BeginTransactionAsync(ct);
        if (fence is not null)
            await Leadership.LeadershipStore.CheckAsync(db, fence, ct);
        foreach (var lease in changed)
        {
            db.Leases.Attach(lease);
            var entry = db.Entry(lease);
            entry.State = EntityState.Modified;
            entry.Property(l => l.Version).OriginalValue = lease.Version;
            lease.Version++;
            db.LeaseEvents.Add(Event(lease, lease.StateReason, at));
        }

        try
        {
            await db.SaveChangesAsync(ct);
            if (tx is not null)
                await tx.CommitAsync(ct);
            foreach (var lease in changed)
                feed.Changed(lease.Id);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            foreach (var lease in changed)
                lease.Version--;
            return false;
        }
    }

    /// <summary><see cref="SaveAsync(IReadOnlyList{LeaseRecord}, DateTimeOffset, Leadership.LeaderFence?, CancellationToken)"/>
    /// on SQLite, through prepared statements (<see cref="SqliteRowUpdater{T}.WholeRow"/>): the same rows and version
    /// checks as EF's SaveChanges, which cost the market's loop about 1.6 ms a lease with SQLite's one write lock held
    /// (measured in `gpunet bench rent`: 16 ms for a batch of about ten agents' reports).</summary>
    private async Task<bool> SaveOnSqliteAsync(GpunetDb db, IReadOnlyList<LeaseRecord> changed, DateTimeOffset at, Leadership.LeaderFence? fence,
        CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (fence is not null)
            await Leadership.LeadershipStore.CheckAsync(db, fence, ct);
        var moved = 0;
        var current = true;
        using (var leases = SqliteRowUpdater<LeaseRecord>.WholeRow(db, nameof(LeaseRecord.Version)))
        using (var events = new SqliteRowInserter<LeaseEventRecord>(db))
        {
            for (; moved < changed.Count && current; moved++)
            {
                var lease = changed[moved];
                lease.Version++;
                current = leases.UpdateRow(lease, lease.Version - 1);
                if (current)
                    events.Insert(Event(lease, lease.StateReason, at));
            }
        }

        if (!current)
        {
            // A lease moved on since it was read: nothing is written.
            await tx.RollbackAsync(ct);
            for (var i = 0; i < moved; i++)
                changed[i].Version--;
            return false;
        }

        await tx.CommitAsync(ct);
        foreach (var lease in changed)
            feed.Changed(lease.Id);
        return true;
    }

    /// <summary>SLA credits paid back so far for each of <paramref name="leaseIds"/> that had any, in base units.</summary>
    public async Task<Dictionary<string, long>> CreditedAsync(IReadOnlyList<string> leaseIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.SlaCredits.AsNoTracking().Where(c => leaseIds.Contains(c.LeaseId) && c.CreditedBaseUnits > 0)
            .Select(c => new { c.LeaseId, c.CreditedBaseUnits }).ToListAsync(ct);
        return rows.GroupBy(r => r.LeaseId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(r => r.CreditedBaseUnits), StringComparer.Ordinal);
    }

    /// <summary>Writes a lease's new endpoint alone: no history step (its state did not change). False, writing nothing,
    /// when the lease moved on since it was read.</summary>
    public async Task<bool> SaveEndpointAsync(LeaseRecord lease, string? endpoint, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var changed = await db.Leases.Where(l => l.Id == lease.Id && l.Version == lease.Version)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.Endpoint, endpoint).SetProperty(l => l.Version, lease.Version + 1), ct);
        if (changed == 0)
            return false;
        lease.Endpoint = endpoint;
        lease.Version++;
        feed.Changed(lease.Id);
        return true;
    }

    public async Task<LeaseHistory> HistoryAsync(string leaseId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var steps = await db.LeaseEvents.AsNoTracking().Where(e => e.LeaseId == leaseId).OrderByDescending(e => e.Id)
            .Take(ShortLists.LeaseHistory).ToListAsync(ct);
        steps.Reverse();
        var earlier = steps.Count < ShortLists.LeaseHistory ? 0 : await db.LeaseEvents.CountAsync(e => e.LeaseId == leaseId, ct) - steps.Count;
        return new LeaseHistory(steps, earlier);
    }

    /// <summary>When any coordinator last stored a heartbeat of the host; null if never.</summary>
    public async Task<DateTimeOffset?> HostLastHeardAsync(string hostId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Hosts.AsNoTracking().Where(h => h.Id == hostId).Select(h => h.LastHeardAt).FirstOrDefaultAsync(ct);
    }

    /// <summary>Leases of <paramref name="owner"/> waiting in the queue (pending, not yet placed or moving again).</summary>
    public async Task<int> QueuedCountAsync(string owner, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Leases.AsNoTracking().CountAsync(l => l.Owner == owner && l.State == nameof(LeaseState.Pending), ct);
    }

    /// <summary>How a lease is paid; null for an operator's lease (not billed).</summary>
    public async Task<LeaseBillingRecord?> BillingAsync(string leaseId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.LeaseBilling.AsNoTracking().FirstOrDefaultAsync(b => b.LeaseId == leaseId, ct);
    }

    /// <summary>Leases that ended without ever being placed whose billing is still open, each with its end: what they
    /// took is still held (a coordinator stopped between storing the end and giving it back).</summary>
    public async Task<List<(string LeaseId, DateTimeOffset EndedAt)>> EndedUnplacedUnreleasedAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await (from b in db.LeaseBilling.AsNoTracking()
                          where b.ClosedEpoch == null
                          join l in db.Leases.AsNoTracking() on b.LeaseId equals l.Id
                          where l.EndedAt != null && l.Attempt == 0
                          select new { l.Id, l.EndedAt }).ToListAsync(ct);
        return [.. rows.Select(r => (r.Id, r.EndedAt!.Value))];
    }

    /// <summary>Closes a lease's billing (nothing held, nothing more to settle) through <paramref name="db"/>, e.g. in the
    /// ledger's transaction that gave its escrow back.</summary>
    public static Task CloseBillingAsync(GpunetDb db, string leaseId, long epoch, CancellationToken ct) =>
        db.LeaseBilling.Where(b => b.LeaseId == leaseId && b.ClosedEpoch == null)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.HoldId, (string?)null).SetProperty(b => b.HoldAmount, 0L).SetProperty(b => b.ClosedEpoch, epoch), ct);

    /// <summary>Queues log lines; they are written in batches.</summary>
    public Task AppendLogsAsync(LeaseLogRecord line) => _logs.EnqueueAsync(line);

    /// <summary>Lines after <paramref name="after"/>, in order: by attempt, then sequence.</summary>
    public async Task<List<LeaseLogRecord>> LogsAsync(string leaseId, LogPosition after, int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.LeaseLogs.AsNoTracking()
            .Where(l => l.LeaseId == leaseId && (l.Attempt > after.Attempt || (l.Attempt == after.Attempt && l.Sequence > after.Sequence)))
            .OrderBy(l => l.Attempt).ThenBy(l => l.Sequence).Take(limit).ToListAsync(ct);
    }

    /// <summary>Leases waiting for their first placement whose order's queue deadline is past.</summary>
    public async Task<List<LeaseRecord>> QueueExpiredAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Leases.AsNoTracking().Where(l => l.State == nameof(LeaseState.Pending) && l.Attempt == 0)
            .Join(db.Orders.Where(o => o.QueueDeadline <= now), l => l.OrderId, o => o.Id, (l, _) => l).ToListAsync(ct);
    }

    /// <summary>How many leases are placed (starting or running), on any coordinator's hosts.</summary>
    public async Task<int> PlacedCountAsync(CancellationToken ct)
    {
        string[] placed = [nameof(LeaseState.Starting), nameof(LeaseState.Running)];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Leases.CountAsync(l => placed.Contains(l.State), ct);
    }

    /// <summary>Leases placed: starting or running.</summary>
    public async Task<List<LeaseRecord>> PlacedAsync(CancellationToken ct)
    {
        string[] placed = [nameof(LeaseState.Starting), nameof(LeaseState.Running)];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Leases.AsNoTracking().Where(l => placed.Contains(l.State)).ToListAsync(ct);
    }

    private static async Task SaveLogsAsync(IDbContextFactory<GpunetDb> dbFactory, IReadOnlyList<LeaseLogRecord> lines)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        // A line sent twice (the agent resends what was not acknowledged, after a broken stream) is kept once.
        var keys = lines.Select(l => l.LeaseId).Distinct().ToList();
        var min = lines.Min(l => l.Sequence);
        var existing = (await db.LeaseLogs.AsNoTracking().Where(l => keys.Contains(l.LeaseId) && l.Sequence >= min)
            .Select(l => new { l.LeaseId, l.Attempt, l.Sequence }).ToListAsync()).Select(k => (k.LeaseId, k.Attempt, k.Sequence)).ToHashSet();
        var seen = new HashSet<(string, int, long)>();
        db.LeaseLogs.AddRange(lines.Where(l => !existing.Contains((l.LeaseId, l.Attempt, l.Sequence)) && seen.Add((l.LeaseId, l.Attempt, l.Sequence))));
        await db.SaveChangesAsync();
    }

    private static LeaseEventRecord Event(LeaseRecord lease, string reason, DateTimeOffset at) =>
        new() { LeaseId = lease.Id, At = at, State = lease.State, HostId = lease.HostId, Reason = reason };

    public ValueTask DisposeAsync() => _logs.DisposeAsync();
}

/// <summary>A lease's latest <see cref="ShortLists.LeaseHistory"/> steps, oldest first, and how many came before them.</summary>
internal sealed record LeaseHistory(List<LeaseEventRecord> Steps, int Earlier);

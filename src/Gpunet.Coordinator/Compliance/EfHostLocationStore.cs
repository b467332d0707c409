using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Compliance;

/// <summary>The host location checks in the coordinator's database, written with their audit entries.</summary>
internal sealed class EfHostLocationStore(IDbContextFactory<GpunetDb> dbFactory, AuditLog audit) : IHostLocationStore
{
    public async Task<IReadOnlyList<HostLocationRecord>> AllAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.HostLocations.AsNoTracking().ToListAsync(ct);
    }

    public async Task<IReadOnlyList<HostLocationRecord>> FindAsync(IReadOnlyCollection<string> hostIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.HostLocations.AsNoTracking().Where(x => hostIds.Contains(x.HostId)).ToListAsync(ct);
    }

    public Task SaveAsync(IReadOnlyList<(HostLocationRecord Record, AuditDraft Decision)> checks, (string List, string Policy) versions, CancellationToken ct) =>
        audit.CommitAsync(async db =>
        {
            var ids = checks.Select(b => b.Record.HostId).Distinct().ToList();
            var rows = await db.HostLocations.Where(l => ids.Contains(l.HostId)).ToDictionaryAsync(l => l.HostId, StringComparer.Ordinal, ct);
            // A new host's first check (a reconnect storm's thousands of them) goes in through a prepared statement on
            // SQLite, after the others: EF's change tracker cost several times the insert. Changed checks stay with EF.
            var fresh = db.Database.IsSqlite() ? new Dictionary<string, HostLocationRecord>(StringComparer.Ordinal) : null;
            foreach (var (record, _) in checks)
            {
                if (rows.TryGetValue(record.HostId, out var row))
                {
                    // A clearance given meanwhile holds while address and declaration are the same.
                    if (row.ClearedAt is not null && record.ClearedAt is null && HostLocations.Of(row).ClearanceCovers(record.Address, record.DeclaredCountry))
                        (record.ClearedAt, record.ClearedBy, record.ClearedReason) = (row.ClearedAt, row.ClearedBy, row.ClearedReason);
                    if (fresh is not null && fresh.ContainsKey(record.HostId))
                        fresh[record.HostId] = rows[record.HostId] = record;
                    else
                        db.Entry(row).CurrentValues.SetValues(record);
                }
                else if (fresh is not null)
                {
                    fresh[record.HostId] = rows[record.HostId] = record;
                }
                else
                {
                    db.HostLocations.Add(record);
                    rows[record.HostId] = record;
                }
            }

            if (fresh is { Count: > 0 })
            {
                using var inserter = new SqliteRowInserter<HostLocationRecord>(db);
                foreach (var record in fresh.Values)
                    inserter.Insert(record);
            }

            return (true, (IReadOnlyList<AuditDraft>)[.. checks.Select(b => b.Decision)]);
        }, versions, ct);
}

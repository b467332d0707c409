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
            foreach (var (record, _) in checks)
            {
                if (rows.TryGetValue(record.HostId, out var row))
                {
                    // A clearance given meanwhile holds while address and declaration are the same.
                    if (row.ClearedAt is not null && record.ClearedAt is null && HostLocations.Of(row).ClearanceCovers(record.Address, record.DeclaredCountry))
                        (record.ClearedAt, record.ClearedBy, record.ClearedReason) = (row.ClearedAt, row.ClearedBy, row.ClearedReason);
                    db.Entry(row).CurrentValues.SetValues(record);
                }
                else
                {
                    db.HostLocations.Add(record);
                    rows[record.HostId] = record;
                }
            }

            return (true, (IReadOnlyList<AuditDraft>)[.. checks.Select(b => b.Decision)]);
        }, versions, ct);
}

using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Metering;

/// <summary>Leases' accepted usage reports in the store (table <c>lease_usage</c>).</summary>
/// <remarks>Thread-safe: every call uses its own short-lived <see cref="GpunetDb"/>.</remarks>
internal sealed class UsageStore(IDbContextFactory<GpunetDb> dbFactory)
{
    /// <summary>The report stored under (<paramref name="leaseId"/>, <paramref name="attempt"/>, <paramref name="sequence"/>);
    /// null if none.</summary>
    public async Task<LeaseUsageRecord?> FindAsync(string leaseId, int attempt, long sequence, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.LeaseUsage.AsNoTracking().FirstOrDefaultAsync(u => u.LeaseId == leaseId && u.Attempt == attempt && u.Sequence == sequence, ct);
    }

    /// <summary>The end of the time billed for the lease (the latest stored report's end); null when none is stored.</summary>
    public async Task<long?> BilledThroughAsync(string leaseId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.LeaseUsage.AsNoTracking().Where(u => u.LeaseId == leaseId).MaxAsync(u => (long?)u.ToMs, ct);
    }

    /// <summary>Stores an accepted report. False, storing nothing, when one is already stored under its lease and
    /// attempt and sequence (another coordinator took it first).</summary>
    public async Task<bool> AddAsync(LeaseUsageRecord usage, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.LeaseUsage.Add(usage);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            if (await FindAsync(usage.LeaseId, usage.Attempt, usage.Sequence, ct) is null)
                throw;
            return false;
        }
    }

    /// <summary>A lease's stored reports in order: by attempt, then sequence.</summary>
    public async Task<List<LeaseUsageRecord>> ForLeaseAsync(string leaseId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.LeaseUsage.AsNoTracking().Where(u => u.LeaseId == leaseId).OrderBy(u => u.Attempt).ThenBy(u => u.Sequence).ToListAsync(ct);
    }
}

using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Metering;

/// <summary>Leases' accepted usage reports in the store (table <c>lease_usage</c>).</summary>
/// <remarks>Thread-safe: every call uses its own short-lived <see cref="GpunetDb"/>. Accepted reports are written in
/// groups (<see cref="BatchWriter{TItem, TResult}"/>): the reports of many leases that arrive together cost one store
/// transaction, not one each, and each caller still learns its own report's outcome once it is durable.</remarks>
internal sealed class UsageStore : IAsyncDisposable
{
    // Reports of one batch share a transaction; SQLite takes 32,766 parameters in one statement and a row binds 14.
    private const int MaxBatch = 1024;
    private static readonly object Stored = new();
    private readonly IDbContextFactory<GpunetDb> dbFactory;
    private readonly BatchWriter<LeaseUsageRecord, object> _writer;

    public UsageStore(IDbContextFactory<GpunetDb> dbFactory)
    {
        this.dbFactory = dbFactory;
        _writer = new(MaxBatch, SaveAsync, _ => Stored, (_, _) => null);
    }

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
        try
        {
            await _writer.EnqueueAsync(usage);
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

    private async Task SaveAsync(IReadOnlyList<LeaseUsageRecord> batch)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        db.LeaseUsage.AddRange(batch);
        await db.SaveChangesAsync();
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}

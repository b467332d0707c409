using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Sla;

/// <summary>The declared maintenance windows in the store (<c>maintenance_windows</c>).</summary>
/// <remarks>Thread-safe: every call uses its own short-lived <see cref="GpunetDb"/>.</remarks>
internal sealed class MaintenanceStore(IDbContextFactory<GpunetDb> dbFactory)
{
    /// <summary>The windows not withdrawn and not over at <paramref name="now"/>, of one host or (null) of every host,
    /// ordered by host and start.</summary>
    public async Task<List<MaintenanceWindowRecord>> StandingAsync(string? hostId, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = db.Set<MaintenanceWindowRecord>().AsNoTracking().Where(w => w.CancelledAt == null && w.To > now);
        if (hostId is not null)
            rows = rows.Where(w => w.HostId == hostId);
        var list = await rows.ToListAsync(ct);
        return [.. list.OrderBy(w => w.HostId, StringComparer.Ordinal).ThenBy(w => w.From).ThenBy(w => w.Id)];
    }

    /// <summary>The host's windows, standing, past and withdrawn, the latest start first, at most <paramref name="limit"/>.</summary>
    public async Task<List<MaintenanceWindowRecord>> OfHostAsync(string hostId, int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<MaintenanceWindowRecord>().AsNoTracking().Where(w => w.HostId == hostId)
            .OrderByDescending(w => w.From).ThenByDescending(w => w.Id).Take(limit).ToListAsync(ct);
    }

    /// <summary>Stores a new window; its id is set.</summary>
    public async Task AddAsync(MaintenanceWindowRecord window, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Set<MaintenanceWindowRecord>().Add(window);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The host's window <paramref name="id"/>; null when the host has none by that id.</summary>
    public async Task<MaintenanceWindowRecord?> GetAsync(string hostId, long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<MaintenanceWindowRecord>().AsNoTracking().FirstOrDefaultAsync(w => w.Id == id && w.HostId == hostId, ct);
    }

    /// <summary>Withdraws the window at <paramref name="now"/> if it stands and has not begun; false when it was
    /// withdrawn or had begun meanwhile (checked in the one update, so two coordinators cannot both withdraw it).</summary>
    public async Task<bool> WithdrawAsync(string hostId, long id, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var changed = await db.Set<MaintenanceWindowRecord>()
            .Where(w => w.Id == id && w.HostId == hostId && w.CancelledAt == null && w.From > now)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.CancelledAt, (DateTimeOffset?)now), ct);
        return changed == 1;
    }
}

using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Sla;

/// <summary>Availability from the store: a lease's or host's downtime windows in a period, made from host state
/// changes (heartbeats), the checkers' decided checks, lease history and declared maintenance.</summary>
/// <remarks>Thread-safe: every call uses its own short-lived <see cref="GpunetDb"/>.</remarks>
internal sealed class SlaMeasurement(IDbContextFactory<GpunetDb> dbFactory, SlaTiers tiers)
{
    /// <summary>The lease's service in [<paramref name="from"/>, <paramref name="to"/>); null when there is no such lease.</summary>
    public async Task<LeaseMeasure?> LeaseAsync(string leaseId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lease = await db.Leases.AsNoTracking().FirstOrDefaultAsync(l => l.Id == leaseId, ct);
        if (lease is null)
            return null;
        _ = tiers;
        return new LeaseMeasure(lease.Id, lease.Owner, lease.SlaTier, from, to, 0, [], false);
    }

    /// <summary>The host's record in [<paramref name="from"/>, <paramref name="to"/>); null when there is no such host.</summary>
    public async Task<HostMeasure?> HostAsync(string hostId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId, ct);
        return host is null ? null : new HostMeasure(hostId, from, to, 0, []);
    }

    /// <summary>The ids of <paramref name="customer"/>'s leases that ran at some time in [<paramref name="from"/>,
    /// <paramref name="to"/>), oldest first.</summary>
    public async Task<List<string>> LeasesOfAsync(string customer, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Leases.AsNoTracking()
            .Where(l => l.Owner == customer && l.StartedAt != null && l.StartedAt < to && (l.EndedAt == null || l.EndedAt >= from))
            .Select(l => new { l.Id, l.CreatedAt }).ToListAsync(ct);
        return [.. rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Id)];
    }
}

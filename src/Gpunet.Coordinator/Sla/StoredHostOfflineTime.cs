using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Sla;

/// <summary>Hosts' offline time from the stored state changes: those in the period, and for a host down since before it
/// (its stored state Suspect or Offline since then), from the period's start.</summary>
internal sealed class StoredHostOfflineTime(IDbContextFactory<GpunetDb> dbFactory) : IHostOfflineTime
{
    public async Task<IReadOnlyDictionary<string, long>> OfflineSecondsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        string[] unheard = [nameof(HostState.Suspect), nameof(HostState.Offline)];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var downBefore = await db.Hosts.AsNoTracking().Where(h => unheard.Contains(h.State) && h.StateSince < from)
            .Select(h => new { h.Id, h.State }).ToListAsync(ct);
        // Only hosts that went unheard in the period, or were so at its start, have offline time: read only theirs.
        var hosts = (await db.HostTransitions.AsNoTracking().Where(t => t.At >= from && t.At < to && unheard.Contains(t.To))
            .Select(t => t.HostId).Distinct().ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        hosts.UnionWith(downBefore.Select(h => h.Id));
        var within = new List<(string HostId, string To, DateTimeOffset At, long Id)>();
        foreach (var slice in hosts.Chunk(10_000))
        {
            within.AddRange((await db.HostTransitions.AsNoTracking().Where(t => slice.Contains(t.HostId) && t.At >= from && t.At < to)
                .Select(t => new { t.HostId, t.To, t.At, t.Id }).ToListAsync(ct)).Select(t => (t.HostId, t.To, t.At, t.Id)));
        }

        var changes = within.Select(t => (t.HostId, To: Enum.TryParse<HostState>(t.To, out var s) ? s : HostState.Pending, t.At, t.Id))
            .Concat(downBefore.Select(h => (HostId: h.Id, To: Enum.Parse<HostState>(h.State), At: from, Id: 0L)))
            .OrderBy(c => c.HostId, StringComparer.Ordinal).ThenBy(c => c.At).ThenBy(c => c.Id)
            .Select(c => (c.HostId, c.To, c.At));
        return HostUptime.OfflineSeconds(changes, from, to);
    }
}

using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Sla;

/// <summary>Hosts' offline time from the stored state changes (core rule <see cref="HostUptime"/>): those in the period,
/// and for a host unheard at its start (down since before, or whose first change in it leaves Suspect or Offline), from
/// the period's start. Settlement's rewards and the network's SLA summary read it the same way.</summary>
internal sealed class StoredHostOfflineTime(IDbContextFactory<GpunetDb> dbFactory) : IHostOfflineTime
{
    public async Task<IReadOnlyDictionary<string, long>> OfflineSecondsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return HostUptime.OfflineSeconds(await UnheardChangesAsync(db, from, to, ct), from, to);
    }

    /// <summary>The state changes of every host that was unheard (Suspect or Offline) at some time in the period, by host
    /// then time, each host's first being its state at the period's start: the state its first change at or after the
    /// start left (in the period, or after it for a host with none in it), or for a host with no change since, its
    /// stored state.</summary>
    /// <remarks>A host's row says what it is now, not what it was in the period: one down all month and back since
    /// reads Ready there. Three reads by time (the <c>At</c> index) keep this cheap at 100,000 hosts: the changes in the
    /// period, the first change after it of hosts unheard then (each looked up on its host's own changes), and the rows
    /// of hosts unheard and unchanged since before.</remarks>
    internal static async Task<List<(string HostId, HostState To, DateTimeOffset At)>> UnheardChangesAsync(
        GpunetDb db, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        string[] unheard = [nameof(HostState.Suspect), nameof(HostState.Offline)];
        var downBefore = await db.Hosts.AsNoTracking().Where(h => unheard.Contains(h.State) && h.StateSince < from)
            .Select(h => new { h.Id, h.State }).ToListAsync(ct);
        // Only hosts that went unheard in the period, or came back from it, have offline time in it: read only theirs.
        var hosts = await db.HostTransitions.AsNoTracking().Where(t => t.At >= from && t.At < to && (unheard.Contains(t.To) || unheard.Contains(t.From)))
            .Select(t => t.HostId).Distinct().ToListAsync(ct);
        var within = new List<(string HostId, string From, string To, DateTimeOffset At, long Id)>();
        foreach (var slice in hosts.Chunk(10_000))
        {
            within.AddRange((await db.HostTransitions.AsNoTracking().Where(t => slice.Contains(t.HostId) && t.At >= from && t.At < to)
                .Select(t => new { t.HostId, t.From, t.To, t.At, t.Id }).ToListAsync(ct)).Select(t => (t.HostId, t.From, t.To, t.At, t.Id)));
        }

        static HostState State(string s) => Enum.TryParse<HostState>(s, out var state) ? state : HostState.Pending;
        var changes = new List<(string HostId, HostState To, DateTimeOffset At)>();
        foreach (var host in within.OrderBy(t => t.At).ThenBy(t => t.Id).GroupBy(t => t.HostId, StringComparer.Ordinal))
        {
            changes.Add((host.Key, State(host.First().From), from));
            changes.AddRange(host.Select(t => (t.HostId, State(t.To), t.At)));
        }

        // No change in the period, unheard at its end, and changed since: the first change at or after its start is after
        // its end, and leaves Suspect or Offline.
        var downThrough = await db.HostTransitions.AsNoTracking()
            .Where(t => t.At >= to && unheard.Contains(t.From)
                && !db.HostTransitions.Any(e => e.HostId == t.HostId && e.At >= from && (e.At < t.At || (e.At == t.At && e.Id < t.Id))))
            .Select(t => new { t.HostId, t.From }).ToListAsync(ct);
        var changed = hosts.ToHashSet(StringComparer.Ordinal);
        changes.AddRange(downThrough.Where(h => changed.Add(h.HostId)).Select(h => (h.HostId, State(h.From), from)));
        changes.AddRange(downBefore.Where(h => !changed.Contains(h.Id)).Select(h => (h.Id, State(h.State), from)));
        return [.. changes.OrderBy(c => c.HostId, StringComparer.Ordinal)];
    }
}

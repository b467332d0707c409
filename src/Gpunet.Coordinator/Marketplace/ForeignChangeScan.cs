using Gpunet.Coordinator.Scheduling;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>What other coordinators over the same store changed: hosts' capacity (placements and releases), leases held
/// here that they ended, and leases they placed on hosts connected here, which this coordinator starts.</summary>
/// <remarks>Not thread-safe: the market's loop owns it.</remarks>
internal sealed class ForeignChangeScan(
    PlacementStore placements,
    LeaseStore store,
    CapacityIndex index,
    HeldLeases held,
    LeaseCloser closer,
    AgentCommands commands)
{
    /// <summary>The versions of capacity rows of hosts not indexed here, as of the last scan.</summary>
    private long _foreignVersionSum;

    public async Task ScanAsync(CancellationToken ct)
    {
        // Versions only grow, so an unchanged sum means no row changed: one scalar query in the usual case, every row's
        // version only when another coordinator changed something (or holds hosts this one does not know).
        var total = await placements.CapacityVersionSumAsync(ct);
        var known = 0L;
        foreach (var slot in index.Slots)
        {
            if (slot.Loaded)
                known += slot.StoreVersion;
        }

        if (total != known + _foreignVersionSum)
        {
            var foreign = 0L;
            foreach (var (hostId, version) in await placements.CapacityVersionsAsync(ct))
            {
                if (!index.TryGet(hostId, out var slot) || !slot.Loaded)
                    foreign += version;
                else if (version != slot.StoreVersion)
                    await index.RefreshAsync(slot, ct);
            }

            _foreignVersionSum = foreign;
        }

        // Leases this coordinator holds that another one ended (a cancel through its API): stop their workloads here.
        if (held.Count > 0)
        {
            foreach (var ended in await store.EndedAmongAsync(held.Ids(), ct))
                closer.EndedElsewhere(ended);
        }

        foreach (var lease in await store.StartingAsync(ct))
        {
            if (held.Contains(lease.Id) || lease.HostId is null || !index.TryGet(lease.HostId, out var on) || !on.Entry.Connected)
                continue;
            if (await held.HoldAsync(lease, ct) is { } placed && placed.Slot.Entry.Session is { } session)
                await commands.DispatchAsync(placed, session, ct);
        }
    }
}

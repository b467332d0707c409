using Gpunet.Coordinator.Scheduling;
using Gpunet.Coordinator.Storage;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>What other coordinators over the same store changed: hosts' capacity (placements and releases), leases held
/// here that they ended, and leases they placed on hosts connected here, which this coordinator starts.</summary>
/// <remarks>Not thread-safe: the market's loop owns it.</remarks>
internal sealed partial class ForeignChangeScan(
    PlacementStore placements,
    LeaseStore store,
    CapacityIndex index,
    HeldLeases held,
    LeaseCloser closer,
    AgentCommands commands,
    ILogger log)
{
    /// <summary>The versions of capacity rows of hosts not indexed here, as of the last scan.</summary>
    private long _foreignVersionSum;

    /// <param name="reconcile">Read every capacity row whole and take the store's free capacity wherever it differs
    /// from the matcher's at the same version.</param>
    public async Task ScanAsync(bool reconcile, CancellationToken ct)
    {
        if (reconcile)
            await ReconcileAsync(ct);
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

        await LeasesAsync(ct);
    }

    // Every row whole: a newer version is applied as the scan would; the same version with other free capacity means the
    // matcher's memory and the store parted without a change between them, and the store (every coordinator's truth) wins.
    private async Task ReconcileAsync(CancellationToken ct)
    {
        var cluster = index.Matcher.Cluster;
        foreach (var row in await placements.AllCapacityAsync(ct))
        {
            if (!index.TryGet(row.HostId, out var slot) || !slot.Loaded)
                continue;
            if (row.Version != slot.StoreVersion)
            {
                index.Apply(slot, row);
                continue;
            }

            if (row.FreeCpuMilli == cluster.FreeCpuMilli(slot.Node) && row.FreeMemoryMib == cluster.FreeMemoryMib(slot.Node)
                && HostCapacityRecord.SameGpus(row.FreeGpuMilli, cluster.GpuFreeMilli(slot.Node)))
                continue;
            // A row of another GPU count is one Apply cannot take (a host registered again with other GPUs): left as is.
            if (HostCapacityRecord.GpuCount(row.FreeGpuMilli) != slot.GpuIndex.Length)
                continue;
            LogReconciled(log, slot.Entry.Id, row.Version, HostCapacityRecord.FormatGpus(cluster.GpuFreeMilli(slot.Node)), row.FreeGpuMilli);
            index.Apply(slot, row);
        }
    }

    [LoggerMessage(EventId = 4045, Level = LogLevel.Warning, Message = "Host {HostId}'s capacity differed from the store's at version {Version} (GPUs free here {Here}, stored {Stored}); the store's is taken")]
    private static partial void LogReconciled(ILogger logger, string hostId, long version, string here, string stored);

    private async Task LeasesAsync(CancellationToken ct)
    {
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

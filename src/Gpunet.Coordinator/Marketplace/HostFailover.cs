using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Marketplace;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>A host went offline: downtime while serving is recorded for slashing, restartable leases move to another
/// host (restart policy <c>on-host-loss</c>), the others end with HostLost.</summary>
/// <remarks>Not thread-safe: the market's loop owns it.</remarks>
internal sealed partial class HostFailover(
    LeaseStore store,
    OrderBook orders,
    OrderQueue queue,
    HeldLeases held,
    LeaseDriver driver,
    LeaseCloser closer,
    OrderPlacement placement,
    IOptions<HostsOptions> hosts,
    TimeProvider time,
    ILogger log)
{
    private readonly TimeSpan _offlineGrace = hosts.Value.OfflineGracePeriod;

    /// <summary>Running leases moved off each host when its stream was lost: still counted as served when the host then
    /// goes offline (its downtime interrupted them), forgotten when its agent comes back.</summary>
    private readonly Dictionary<string, List<string>> _movedOnStreamLoss = new(StringComparer.Ordinal);

    /// <summary>The host's agent is connected again: what moved off it earlier is no longer its downtime.</summary>
    public void Reconnected(string hostId) => _movedOnStreamLoss.Remove(hostId);

    /// <summary>The host's agent stream closed and has stayed closed for <paramref name="window"/>: its restartable leases
    /// move now (the others wait for the offline grace, in case it comes back). Nothing is slashed here.</summary>
    public async Task StreamLostAsync(HostSlot slot, TimeSpan window, CancellationToken ct)
    {
        var hostId = slot.Entry.Id;
        if (await HeardElsewhereAsync(hostId, window, ct))
            return;

        foreach (var lease in await store.PlacedOnAsync(hostId, ct))
        {
            if (await RestartableAsync(lease, ct) is not { } info)
                continue;
            if (lease.State == nameof(LeaseState.Running))
                (_movedOnStreamLoss.TryGetValue(hostId, out var moved) ? moved : _movedOnStreamLoss[hostId] = []).Add(lease.Id);
            await MoveAsync(lease, info, slot,
                $"host {hostId}'s agent disconnected and did not come back within {window.TotalSeconds:0.#} s; moving to another host", ct);
        }
    }

    /// <summary>Moves or ends the leases placed on the lost host.</summary>
    public async Task HostLostAsync(HostSlot slot, CancellationToken ct)
    {
        var hostId = slot.Entry.Id;
        if (await HeardElsewhereAsync(hostId, _offlineGrace, ct))
            return;

        var placed = await store.PlacedOnAsync(hostId, ct);
        var serving = placed.Where(l => l.State == nameof(LeaseState.Running)).Select(l => l.Id).ToList();
        if (_movedOnStreamLoss.Remove(hostId, out var movedEarlier))
            serving.AddRange(movedEarlier);
        if (serving.Count > 0)
        {
            // Downtime while serving a customer is slashed at the next settlement (1/3 of the required stake by
            // default); the customer is not charged for the time, which was not heard.
            await store.AddSlashEventAsync(new SlashEventRecord
            {
                HostId = hostId,
                Operator = slot.Record.Address,
                Kind = "downtime",
                Reason = $"went offline while serving {string.Join(", ", serving)}",
                At = time.GetUtcNow(),
            }, ct);
        }

        foreach (var lease in placed)
        {
            if (await RestartableAsync(lease, ct) is not { } info)
            {
                // Told to stop too: an agent that was only frozen (its stream still open) reads it when it thaws.
                await closer.EndAsync(lease, LeaseEndReason.HostLost, $"host {hostId} went offline", null, stopAgent: true, ct);
                continue;
            }

            await MoveAsync(lease, info, slot, $"host {hostId} went offline; moving to another host", ct);
        }
    }

    /// <summary>Whether a coordinator heard the host within <paramref name="within"/>: one does not hear the heartbeats of
    /// hosts connected to another one over the same store, and the store's last-heard time (written by whoever hears
    /// the host) says whether someone still does.</summary>
    private async Task<bool> HeardElsewhereAsync(string hostId, TimeSpan within, CancellationToken ct)
    {
        if (await store.HostLastHeardAsync(hostId, ct) is not { } heard || time.GetUtcNow() - heard >= within)
            return false;
        LogHeardElsewhere(log, hostId);
        return true;
    }

    /// <summary>The lease's order when its restart policy moves it off a lost host in its state; null when it does not.</summary>
    private async Task<OrderInfo?> RestartableAsync(LeaseRecord lease, CancellationToken ct) =>
        await orders.GetAsync(lease.OrderId, ct) is { } info && LeaseLifecycle.MovesOnHostLoss(info.Spec.Restart, Enum.Parse<LeaseState>(lease.State))
            ? info
            : null;

    /// <summary>Puts a restartable lease back in the queue, away from the lost host and from the hosts its gang holds.</summary>
    private async Task MoveAsync(LeaseRecord lease, OrderInfo info, HostSlot lost, string reason, CancellationToken ct)
    {
        var hostId = lost.Entry.Id;
        var allocationId = lease.AllocationId;
        var requeued = await driver.MoveAsync(lease, LeaseState.Pending, l =>
        {
            l.StateReason = reason;
            l.HostId = null;
            l.GpuIndices = "";
            l.AllocationId = null;
            l.StartedAt = null;
        }, ct);
        if (!requeued)
            return;
        await held.ReleaseAsync(lease.Id, allocationId);
        // A host that went offline with its stream still open (its agent frozen, or its network stalled) reads the stop
        // when it runs again: the lease then runs once, on the host it moves to. A closed stream needs none: the agent
        // reports the lease when it registers again and is told to stop it then.
        if (lost.Entry.Session is { } session)
            AgentCommands.Stop(session, lease.Id, reason);
        var exclude = new HashSet<string>(StringComparer.Ordinal) { hostId };
        // A gang member moves alone, away from the hosts its gang still holds.
        foreach (var sibling in await store.OrderLeasesAsync(lease.OrderId, ct))
        {
            if (sibling.HostId is not null)
                exclude.Add(sibling.HostId);
        }

        var queued = new QueuedOrder(lease.OrderId, [lease.Id], DateTimeOffset.MaxValue, info.Request.Host, exclude);
        queue.Add(queued);
        LogMoving(log, lease.Id, hostId);
        await placement.TryPlaceAsync(queued, ct);
    }

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "Lease {LeaseId}: host {HostId} is lost; moving it")]
    private static partial void LogMoving(ILogger logger, string leaseId, string hostId);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Host {HostId} is silent here but heard by another coordinator; its leases stay")]
    private static partial void LogHeardElsewhere(ILogger logger, string hostId);
}

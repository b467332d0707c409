using Gpunet.Coordinator.Observability;
using Gpunet.Coordinator.Scheduling;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Marketplace;
using Gpunet.Core.Scheduling;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>Places queued orders: the matcher picks hosts, the capacity is committed in the store against each host's
/// version, then the leases move to Starting and their agents are told to start them.</summary>
/// <remarks>Not thread-safe: the market's loop owns it. After a conflict with another coordinator the hosts are re-read
/// and it tries again at once, a few times.</remarks>
internal sealed partial class OrderPlacement(
    CapacityIndex index,
    OrderQueue queue,
    OrderBook orders,
    PlacementGate gate,
    LeaseDriver driver,
    HeldLeases held,
    AgentCommands commands,
    LeaseRelay relay,
    PlacementStore placements,
    LeaseStore store,
    TimeProvider time,
    ILogger log)
{
    private const int Attempts = 3;

    /// <summary>Tries to place a queued order (only when capacity changed since it last failed).</summary>
    public async Task TryPlaceAsync(QueuedOrder queued, CancellationToken ct)
    {
        for (var attempt = 0; attempt < Attempts && await TracedAsync(queued, ct) == Outcome.Conflict; attempt++)
        {
        }
    }

    // An attempt is a span only when the matcher runs (capacity changed since the order last failed).
    private async Task<Outcome> TracedAsync(QueuedOrder queued, CancellationToken ct)
    {
        if (queued.TriedAt == index.Epoch)
            return Outcome.NotPlaced;
        using var span = CoordinatorTelemetry.StartPlacement(queued.OrderId, log);
        var outcome = await TryPlaceOnceAsync(queued, ct);
        CoordinatorTelemetry.Placed(span, outcome switch { Outcome.Placed => "placed", Outcome.Conflict => "conflict", _ => "not placed" });
        return outcome;
    }

    private enum Outcome
    {
        Placed,
        NotPlaced,
        Conflict,
    }

    private async Task<Outcome> TryPlaceOnceAsync(QueuedOrder queued, CancellationToken ct)
    {
        if (queued.TriedAt == index.Epoch)
            return Outcome.NotPlaced;
        queued.TriedAt = index.Epoch;
        var info = await orders.GetAsync(queued.OrderId, ct);
        if (info is null)
        {
            queue.Remove(queued);
            return Outcome.NotPlaced;
        }

        var spec = info.Spec with { Hosts = queued.LeaseIds.Count };
        Func<int, bool>? exclude = queued.Pinned is null && queued.Exclude.Count == 0
            ? null
            : node => (queued.Pinned is not null && index.Slots[node].Entry.Id != queued.Pinned) || queued.Exclude.Contains(index.Slots[node].Entry.Id);
        var result = index.Matcher.Match(spec, gate.For(info), exclude);
        if (result is NotMatched nm)
        {
            var reason = queued.Pinned is null ? nm.Reason : $"{nm.Reason} (pinned to {queued.Pinned})";
            if (reason != queued.Reason)
            {
                queued.Reason = reason;
                await driver.NoteWaitingAsync(await ReadAsync(queued.LeaseIds, ct), reason, ct);
            }

            return Outcome.NotPlaced;
        }

        var matched = (Matched)result;
        var leases = await ReadAsync(queued.LeaseIds, ct);
        if (leases.Count != matched.Placements.Length || leases.Any(l => l.State != nameof(LeaseState.Pending)))
        {
            // Ended or placed elsewhere meanwhile (another coordinator): give the capacity back, drop the entry.
            foreach (var p in matched.Placements)
                index.Matcher.Release(p);
            queue.Remove(queued);
            return Outcome.NotPlaced;
        }

        // From the first commit on, nothing is cancelled: a placement is not cut between its commit and its lease.
        var now = time.GetUtcNow();
        var commits = new List<Commit>();
        using var committing = CoordinatorTelemetry.StartCommit(leases.Count);
        for (var i = 0; i < leases.Count; i++)
        {
            var p = matched.Placements[i];
            var slot = index.Slots[p.Node];
            var allocationId = $"{leases[i].Id}.{leases[i].Attempt + 1}";
            var commit = PlacementCommit.After(index.Matcher.Cluster, p, slot.StoreVersion, allocationId, now);
            slot.StoreVersion++;
            commits.Add(new Commit(leases[i], p, slot, allocationId, placements.CommitAsync(commit)));
        }

        await Task.WhenAll(commits.Select(c => c.Result));
        CoordinatorTelemetry.Committed(committing, commits.Any(c => c.Result.Result is PlacementConflict));
        if (commits.Any(c => c.Result.Result is PlacementConflict))
        {
            // Another coordinator changed a host first: give back what did commit, re-read the hosts, try again.
            foreach (var c in commits)
            {
                if (c.Result.Result is PlacementConflict)
                    await index.RefreshAsync(c.Slot, CancellationToken.None);
                else
                    await index.ReleaseAsync(c.Slot, c.Placement, c.AllocationId);
            }

            LogConflict(log, queued.OrderId);
            return Outcome.Conflict;
        }

        var byLease = commits.ToDictionary(c => c.Lease.Id, StringComparer.Ordinal);
        var placed = await driver.MoveAsync(leases, LeaseState.Starting, lease =>
        {
            var c = byLease[lease.Id];
            var gpus = c.Placement.Gpus.Select(g => c.Slot.GpuIndex[g]).ToArray();
            lease.HostId = c.Slot.Entry.Id;
            lease.GpuIndices = string.Join(',', gpus);
            lease.GpuMilli = c.Placement.GpuMilliEach;
            lease.GpuModel = index.Matcher.Cluster.GpuModel(c.Placement.Node);
            lease.PriceUsdPerGpuHour = c.Slot.Record.PriceUsdPerGpuHour;
            lease.AllocationId = c.AllocationId;
            lease.Attempt++;
            lease.PlacedAt = now;
            lease.StartedAt = null;
            lease.StateReason = $"placed on {lease.HostId} GPU {(gpus.Length == 0 ? "none" : string.Join(',', gpus))}";
        }, CancellationToken.None);
        if (!placed)
        {
            foreach (var c in commits)
                await index.ReleaseAsync(c.Slot, c.Placement, c.AllocationId);
            queue.Remove(queued);
            return Outcome.NotPlaced;
        }

        queue.Remove(queued);
        index.Taken();
        foreach (var c in commits)
        {
            // A lease is held by the coordinator its host's agent is connected to: that one starts it, watches it and
            // takes its lines. Placed on a host connected elsewhere, it is handed over through the store.
            if (c.Slot.Entry.Session is not { } session)
            {
                await relay.TellHolderAsync(c.Slot);
                continue;
            }

            var lease = new HeldLease(c.Lease.Id, c.Lease.OrderId, c.Lease.Attempt, c.Slot, c.Placement, c.AllocationId, now);
            held.Add(lease);
            await commands.DispatchAsync(lease, session, ct);
        }

        LogPlaced(log, queued.OrderId, string.Join(", ", commits.Select(c => c.Lease.StateReason)));
        return Outcome.Placed;
    }

    private async Task<List<LeaseRecord>> ReadAsync(List<string> leaseIds, CancellationToken ct)
    {
        var leases = new List<LeaseRecord>(leaseIds.Count);
        foreach (var id in leaseIds)
        {
            if (await store.LeaseAsync(id, ct) is { } lease)
                leases.Add(lease);
        }

        return leases;
    }

    /// <summary>One lease's capacity commit, in flight or done.</summary>
    private sealed record Commit(LeaseRecord Lease, Placement Placement, HostSlot Slot, string AllocationId, Task<PlacementResult> Result);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Order {OrderId} placed: {Where}")]
    private static partial void LogPlaced(ILogger logger, string orderId, string where);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Order {OrderId}: a host changed under the placement (another coordinator); retrying")]
    private static partial void LogConflict(ILogger logger, string orderId);
}

using Gpunet.Coordinator.Scheduling;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Marketplace;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>At start, gives back capacity that stored allocations take for no placed lease: a placement commits its
/// capacity, then its lease step, and a coordinator killed between the two left the GPUs taken by nobody (and its
/// lease, still queued, could not be placed on the same allocation id again). See <see cref="StrayAllocations"/>.</summary>
/// <remarks>Not thread-safe: the market's loop owns it. Safe beside other coordinators of the store: a lease whose
/// placement may still be in flight elsewhere is claimed first (its version moves on), so that lease step conflicts
/// and its coordinator releases the capacity itself; a release done twice is a no-op the second time.</remarks>
internal sealed partial class StrayCapacity(PlacementStore placements, LeaseStore store, CapacityIndex index, TimeProvider time, ILogger log)
{
    /// <summary>Releases every stray allocation; <paramref name="open"/> are the open leases as loaded.</summary>
    public async Task ReleaseAsync(IReadOnlyList<LeaseRecord> open, CancellationToken ct)
    {
        var held = open.Where(l => l.AllocationId is not null).Select(l => l.AllocationId!).ToHashSet(StringComparer.Ordinal);
        foreach (var id in await placements.AllocationsBesidesAsync(held, ct))
        {
            var lease = await store.LeaseAsync(StrayAllocations.LeaseOf(id), ct);
            var state = lease is null ? (LeaseState?)null : Enum.Parse<LeaseState>(lease.State);
            var verdict = StrayAllocations.Classify(id, state, lease?.Attempt ?? 0, lease?.AllocationId);
            if (verdict == StrayAllocation.Held)
                continue;
            if (verdict == StrayAllocation.ClaimThenRelease)
            {
                lease!.StateReason = $"its placement was cut short (a coordinator stopped between its commits); waiting to be placed again: {lease.StateReason}";
                if (!await store.SaveAsync([lease], time.GetUtcNow(), ct))
                    continue; // placed meanwhile by the coordinator that made the allocation: not a stray
            }

            if (await placements.AllocationAsync(id, ct) is { } a && index.TryGet(a.HostId, out var slot))
            {
                await index.ReleaseAsync(slot, index.FromAllocation(slot, a), a.Id);
                LogReleased(log, a.Id, a.HostId);
            }
        }
    }

    [LoggerMessage(EventId = 4015, Level = LogLevel.Warning, Message = "Allocation {AllocationId} on host {HostId} was held by no lease (a placement cut short); released")]
    private static partial void LogReleased(ILogger logger, string allocationId, string hostId);
}

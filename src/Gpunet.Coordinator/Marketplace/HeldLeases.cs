using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Scheduling;
using Gpunet.Coordinator.Storage;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>The placed leases this coordinator holds, with the capacity each took; a lease leaves when it ends here or
/// elsewhere.</summary>
/// <remarks>Not thread-safe: the market's loop owns it.</remarks>
internal sealed class HeldLeases(PlacementStore placements, CapacityIndex index, LogIntake logs)
{
    /// <summary>How long a lease placed here while its host's agent had no stream here is known to be unsent: far past
    /// any offline grace, after which an agent that never came back has had its leases moved or ended. A mark that
    /// lapses only makes a later start count as a new attempt, the safe side.</summary>
    internal static readonly TimeSpan UnsentMarkLifetime = TimeSpan.FromHours(1);

    private readonly Dictionary<string, HeldLease> _held = new(StringComparer.Ordinal);

    // Leases placed here on a host whose agent had no stream here (LeaseRelay): attempt and when, until held here.
    private readonly Dictionary<string, (int Attempt, DateTimeOffset At)> _placedUnsent = new(StringComparer.Ordinal);

    public int Count => _held.Count;

    /// <summary>The held leases as they are now (the caller may change them while going through).</summary>
    public List<HeldLease> Snapshot() => [.. _held.Values];

    /// <summary>The ids of the held leases.</summary>
    public List<string> Ids() => [.. _held.Keys];

    public bool Contains(string leaseId) => _held.ContainsKey(leaseId);

    public bool TryGet(string leaseId, out HeldLease held) => _held.TryGetValue(leaseId, out held!);

    /// <summary>Whether some lease of <paramref name="orderId"/> is held here.</summary>
    public bool HoldsOrder(string orderId) => _held.Values.Any(h => h.OrderId == orderId);

    /// <summary>Whether some lease on <paramref name="entry"/>'s host is held here.</summary>
    public bool HoldsOn(HostEntry entry) => _held.Values.Any(h => h.Slot.Entry == entry);

    /// <summary>Holds a lease just placed here; its lines are taken from its host.</summary>
    public void Add(HeldLease held)
    {
        _held[held.LeaseId] = held;
        logs.Accept(held.LeaseId, held.Slot.Entry.Id, held.Attempt);
    }

    public bool Remove(string leaseId, out HeldLease held)
    {
        _placedUnsent.Remove(leaseId);
        return _held.Remove(leaseId, out held!);
    }

    /// <summary>A lease placed here at <paramref name="now"/> as <paramref name="attempt"/> on a host whose agent has no
    /// stream here: no start of it went out from here. Held when its agent connects here
    /// (<see cref="HoldAsync"/>), it is started as that attempt, not a new one.</summary>
    public void PlacedUnsent(string leaseId, int attempt, DateTimeOffset now)
    {
        foreach (var (id, _) in _placedUnsent.Where(p => now - p.Value.At > UnsentMarkLifetime).ToList())
            _placedUnsent.Remove(id);
        _placedUnsent[leaseId] = (attempt, now);
    }

    /// <summary>Holds <paramref name="held"/> as its new <paramref name="attempt"/> on the same capacity: its lines are
    /// taken from that attempt on.</summary>
    public HeldLease StartAgain(HeldLease held, int attempt)
    {
        var again = held.NextAttempt(attempt);
        Add(again);
        return again;
    }

    /// <summary>Tracks a placed lease read from the store (at start, or placed by another coordinator).</summary>
    public async Task<HeldLease?> HoldAsync(LeaseRecord lease, CancellationToken ct)
    {
        if (_held.TryGetValue(lease.Id, out var known))
            return known;
        if (lease.HostId is null || lease.AllocationId is null || !index.TryGet(lease.HostId, out var slot))
            return null;
        var allocation = await placements.AllocationAsync(lease.AllocationId, ct);
        if (allocation is null)
            return null;
        var held = new HeldLease(lease.Id, lease.OrderId, lease.Attempt, slot, index.FromAllocation(slot, allocation), allocation.Id, lease.PlacedAt ?? allocation.CreatedAt)
        {
            StartedAt = lease.StartedAt,
            HeldUnsent = _placedUnsent.Remove(lease.Id, out var unsent) && unsent.Attempt == lease.Attempt,
        };
        Add(held);
        return held;
    }

    /// <summary>Gives back the capacity leases took (held here, or else as their allocations say), in memory and in the
    /// store; those held here in one store transaction.</summary>
    public async Task ReleaseAsync(IReadOnlyList<(string LeaseId, string? AllocationId)> leases)
    {
        var releases = new List<(HostSlot Slot, Core.Scheduling.Placement Placement, string AllocationId)>(leases.Count);
        foreach (var (leaseId, allocationId) in leases)
        {
            _placedUnsent.Remove(leaseId);
            if (allocationId is null)
                continue;
            if (_held.Remove(leaseId, out var held))
            {
                releases.Add((held.Slot, held.Placement, held.AllocationId));
                continue;
            }

            if (await placements.AllocationAsync(allocationId, CancellationToken.None) is { } a && index.TryGet(a.HostId, out var slot))
                releases.Add((slot, index.FromAllocation(slot, a), a.Id));
        }

        await index.ReleaseAsync(releases);
    }

    /// <summary>Gives back the capacity a lease took; see <see cref="ReleaseAsync(IReadOnlyList{ValueTuple{string, string}})"/>.</summary>
    public Task ReleaseAsync(string leaseId, string? allocationId) => ReleaseAsync([(leaseId, allocationId)]);
}

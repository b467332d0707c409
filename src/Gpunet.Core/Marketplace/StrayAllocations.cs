namespace Gpunet.Core.Marketplace;

/// <summary>The rule for <see cref="StrayAllocation"/>.</summary>
public static class StrayAllocations
{
    /// <summary>Classifies allocation <paramref name="allocationId"/> against its lease as stored: its state, attempt and
    /// the allocation it points to; <paramref name="leaseState"/> null when the lease is not stored.</summary>
    public static StrayAllocation Classify(string allocationId, LeaseState? leaseState, int leaseAttempt, string? leaseAllocationId)
    {
        ArgumentNullException.ThrowIfNull(allocationId);
        if (leaseState is not { } state || !TryAttempt(allocationId, out var attempt))
            return StrayAllocation.Release;
        if (LeaseLifecycle.HoldsCapacity(state) && leaseAllocationId == allocationId)
            return StrayAllocation.Held;
        // A placement makes allocation LEASE.(attempt + 1) while the lease is still Pending at its attempt.
        return state == LeaseState.Pending && leaseAttempt + 1 == attempt ? StrayAllocation.ClaimThenRelease : StrayAllocation.Release;
    }

    /// <summary>The lease id of an allocation id (<c>LEASE.ATTEMPT</c>); the whole id when it has no attempt.</summary>
    public static string LeaseOf(string allocationId)
    {
        ArgumentNullException.ThrowIfNull(allocationId);
        var dot = allocationId.LastIndexOf('.');
        return dot < 0 ? allocationId : allocationId[..dot];
    }

    private static bool TryAttempt(string allocationId, out int attempt)
    {
        attempt = 0;
        var dot = allocationId.LastIndexOf('.');
        return dot >= 0 && int.TryParse(allocationId.AsSpan(dot + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out attempt);
    }
}

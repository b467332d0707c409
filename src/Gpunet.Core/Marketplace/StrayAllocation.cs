namespace Gpunet.Core.Marketplace;

/// <summary>What to do with a stored allocation (capacity taken on a host, id <c>LEASE.ATTEMPT</c>) that no placed
/// lease points to, as a coordinator finds it when it starts: a placement commits its capacity first and its lease
/// step (Pending to Starting) after, so a coordinator that dies between the two leaves the capacity taken by nobody.</summary>
public enum StrayAllocation
{
    /// <summary>The lease holds it (placed on it): not a stray.</summary>
    Held,

    /// <summary>Nothing can place a lease on it any more (its lease is gone, ended, or at another attempt): give the
    /// capacity back.</summary>
    Release,

    /// <summary>Its lease still waits at the attempt before it: a placement in flight on another coordinator, or one cut
    /// short. Claim the lease first (a write checked against the version it was read at, which makes an in-flight lease
    /// step conflict, and its coordinator give the capacity back itself), then give the capacity back.</summary>
    ClaimThenRelease,
}

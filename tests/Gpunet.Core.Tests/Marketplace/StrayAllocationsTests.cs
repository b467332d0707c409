using Gpunet.Core.Marketplace;

namespace Gpunet.Core.Tests.Marketplace;

public sealed class StrayAllocationsTests
{
    [Theory]
    [InlineData(LeaseState.Starting)]
    [InlineData(LeaseState.Running)]
    public void Classify_ThePlacedLeasePointsToIt_Held(LeaseState state) =>
        Assert.Equal(StrayAllocation.Held, StrayAllocations.Classify("lease-1.2", state, 2, "lease-1.2"));

    [Fact]
    public void Classify_ItsLeaseWaitsAtTheAttemptBefore_ClaimThenRelease()
    {
        // A coordinator died between the capacity commit and the lease step of the lease's first placement, or of a move.
        Assert.Equal(StrayAllocation.ClaimThenRelease, StrayAllocations.Classify("lease-1.1", LeaseState.Pending, 0, null));
        Assert.Equal(StrayAllocation.ClaimThenRelease, StrayAllocations.Classify("lease-1.3", LeaseState.Pending, 2, null));
    }

    [Theory]
    [InlineData(LeaseState.Pending, 1, null)] // waiting for attempt 2: nothing places it on .1 again
    [InlineData(LeaseState.Running, 2, "lease-1.2")] // placed on another allocation
    [InlineData(LeaseState.Succeeded, 1, null)]
    [InlineData(LeaseState.Cancelled, 0, null)]
    public void Classify_NothingCanPlaceItsLeaseOnIt_Release(LeaseState state, int attempt, string? leaseAllocation) =>
        Assert.Equal(StrayAllocation.Release, StrayAllocations.Classify("lease-1.1", state, attempt, leaseAllocation));

    [Fact]
    public void Classify_NoSuchLeaseOrNoAttemptInTheId_Release()
    {
        Assert.Equal(StrayAllocation.Release, StrayAllocations.Classify("lease-1.1", null, 0, null));
        Assert.Equal(StrayAllocation.Release, StrayAllocations.Classify("bench-7", LeaseState.Pending, 0, null));
    }

    [Fact]
    public void LeaseOf_TheIdBeforeTheLastDot() =>
        Assert.Equal(("lease-1", "bench-7"), (StrayAllocations.LeaseOf("lease-1.12"), StrayAllocations.LeaseOf("bench-7")));
}

using Gpunet.Core.Coordination;

namespace Gpunet.Core.Tests.Coordination;

public sealed class LeaderLeaseWatchTests
{
    private static readonly TimeSpan Length = TimeSpan.FromSeconds(6);
    private static readonly LeaderLease HeldByA = new("a", 7, 40);

    [Fact]
    public void MayTake_RenewedWithinTheLease_No()
    {
        var watch = default(LeaderLeaseWatch).Observe(HeldByA, TimeSpan.FromSeconds(10));
        // A renews every third of the lease: each renewal restarts the watch.
        watch = watch.Observe(HeldByA with { Renewals = 41 }, TimeSpan.FromSeconds(12));
        watch = watch.Observe(HeldByA with { Renewals = 42 }, TimeSpan.FromSeconds(14));

        Assert.False(watch.MayTake("b", TimeSpan.FromSeconds(19), Length));
    }

    [Fact]
    public void MayTake_StoodStillForTheLease_Yes()
    {
        var watch = default(LeaderLeaseWatch).Observe(HeldByA, TimeSpan.FromSeconds(10));
        watch = watch.Observe(HeldByA, TimeSpan.FromSeconds(13));

        Assert.False(watch.MayTake("b", TimeSpan.FromSeconds(15.9), Length));
        Assert.True(watch.MayTake("b", TimeSpan.FromSeconds(16), Length));
    }

    [Fact]
    public void MayTake_GivenUpOrHeldUnderOwnId_AtOnce()
    {
        var at = TimeSpan.FromSeconds(10);

        Assert.True(default(LeaderLeaseWatch).Observe(HeldByA with { Holder = "" }, at).MayTake("b", at, Length));
        Assert.True(default(LeaderLeaseWatch).Observe(HeldByA, at).MayTake("a", at, Length));
    }

    [Fact]
    public void MayTake_NothingRead_No() =>
        Assert.False(default(LeaderLeaseWatch).MayTake("b", TimeSpan.FromHours(1), Length));
}

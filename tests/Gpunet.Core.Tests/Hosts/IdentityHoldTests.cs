using Gpunet.Core.Hosts;

namespace Gpunet.Core.Tests.Hosts;

public sealed class IdentityHoldTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);

    private static IdentityFlag Flag(string rule, string counterpart, string reason, double secondsAgo) =>
        new(rule, counterpart, reason, Now - TimeSpan.FromSeconds(secondsAgo));

    [Fact]
    public void Of_NoFlags_NoHold()
    {
        Assert.Null(IdentityHold.Of([], Now, Grace));
    }

    [Fact]
    public void Of_ConflictSeenWithinTheGracePeriod_HoldsNamingIt()
    {
        var hold = IdentityHold.Of([Flag(IdentityHold.GpuDoubleClaim, "host-b", "GPU GPU-1 is also claimed by host host-b", 59)], Now, Grace);

        Assert.Equal("identity: GPU GPU-1 is also claimed by host host-b", hold);
    }

    [Fact]
    public void Of_ConflictNotSeenForTheGracePeriod_Lapsed()
    {
        Assert.Null(IdentityHold.Of([Flag(IdentityHold.GpuDoubleClaim, "host-b", "GPU GPU-1 is also claimed by host host-b", 60)], Now, Grace));
    }

    [Fact]
    public void Of_SeveralConflicts_EveryOneInForceNamedInRuleOrder()
    {
        var hold = IdentityHold.Of(
        [
            Flag(IdentityHold.GpuDoubleClaim, "host-c", "GPU GPU-2 is also claimed by host host-c", 1),
            Flag(IdentityHold.GpuDoubleClaim, "host-old", "lapsed", 600),
            Flag(IdentityHold.ClonedFingerprint, "198.51.100.9", "cloned fingerprint: seen from 203.0.113.7 and 198.51.100.9 at once", 1),
        ], Now, Grace);

        Assert.Equal("identity: cloned fingerprint: seen from 203.0.113.7 and 198.51.100.9 at once; GPU GPU-2 is also claimed by host host-c", hold);
    }

    [Fact]
    public void Join_IdentityOnly_ReadsAsAHold()
    {
        Assert.Equal(HostHealthPolicy.HoldPrefix + "identity: x", IdentityHold.Join(null, "identity: x"));
    }

    [Fact]
    public void Join_ComplianceAndIdentity_BothNamedComplianceFirst()
    {
        Assert.Equal(HostHealthPolicy.HoldPrefix + "kyc-not-approved; identity: x",
            IdentityHold.Join(HostHealthPolicy.HoldPrefix + "kyc-not-approved", "identity: x"));
    }

    [Fact]
    public void Join_NoIdentityHold_TheComplianceHoldAsItWas()
    {
        Assert.Null(IdentityHold.Join(null, null));
        Assert.Equal("held by compliance: kyc", IdentityHold.Join("held by compliance: kyc", null));
    }

    [Fact]
    public void Evaluate_ReadyHostWithAnIdentityHold_PausedWithTheConflictAsItsReason()
    {
        // The host monitor hands the joined hold to the health policy: the host is Paused (not matched) and says why.
        var policy = new HostHealthPolicy(new HostHealthOptions());
        var hold = IdentityHold.Join(null, IdentityHold.Of([Flag(IdentityHold.GpuDoubleClaim, "host-b", "GPU GPU-1 is also claimed by host host-b", 1)], Now, Grace));
        var sample = new HostHealthSample("host-a", HostState.Ready, Now - TimeSpan.FromMinutes(5), "DE", Now, hold, "first heartbeat received 1 s after registration");

        var t = Assert.Single(policy.Evaluate([sample], Now, Now - TimeSpan.FromHours(1)).Transitions);

        Assert.Equal(HostState.Paused, t.To);
        Assert.Equal("held by compliance: identity: GPU GPU-1 is also claimed by host host-b", t.Reason);
    }
}

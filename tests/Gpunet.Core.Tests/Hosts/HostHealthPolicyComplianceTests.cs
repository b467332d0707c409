using Gpunet.Core.Hosts;

namespace Gpunet.Core.Tests.Hosts;

/// <summary>A compliance hold keeps a heard host from becoming Ready (or pauses a serving one), with every rule as its
/// reason, and the host becomes Ready once the hold is lifted.</summary>
public sealed class HostHealthPolicyComplianceTests
{
    private static readonly DateTimeOffset T0 = Fleet.T0;
    private static readonly DateTimeOffset LongAgo = T0.AddDays(-1);
    private const string Hold = HostHealthPolicy.HoldPrefix + "kyc-not-approved: …; blocked-jurisdiction: no GPU may be onboarded in IR";

    private static HostHealthEvaluation EvaluateOne(HostHealthSample host, DateTimeOffset now)
    {
        var healthy = new HostHealthSample("host-healthy", HostState.Ready, LongAgo, "FR", now);
        return new HostHealthPolicy(new HostHealthOptions()).Evaluate([host, healthy], now, LongAgo);
    }

    [Fact]
    public void Evaluate_PendingHostHeardWhileHeld_StaysPendingWithTheHoldAsItsReason()
    {
        var e = EvaluateOne(new("h1", HostState.Pending, T0, "IR", T0.AddSeconds(2), Hold, "registered; waiting for the first heartbeat"), T0.AddSeconds(3));

        var t = Assert.Single(e.Transitions);
        Assert.Equal(new HostTransition("h1", HostState.Pending, HostState.Pending, Hold, T0.AddSeconds(3)), t);
    }

    [Fact]
    public void Evaluate_HeldHostWhoseReasonIsAlreadyTheHold_IsLeftAlone()
    {
        var e = EvaluateOne(new("h1", HostState.Pending, T0, "IR", T0.AddSeconds(8), Hold, Hold), T0.AddSeconds(9));

        Assert.Empty(e.Transitions);
    }

    [Theory]
    [InlineData(HostState.Ready)]
    [InlineData(HostState.Suspect)]
    public void Evaluate_ServingHostHeld_IsPausedAtOnce(HostState serving)
    {
        var e = EvaluateOne(new("h1", serving, LongAgo, "DE", T0, Hold, "first heartbeat"), T0.AddSeconds(1));

        var t = Assert.Single(e.Transitions);
        Assert.Equal((serving, HostState.Paused, Hold), (t.From, t.To, t.Reason));
    }

    [Fact]
    public void Evaluate_PausedHostHeardAfterTheHoldIsLifted_BecomesReady()
    {
        var e = EvaluateOne(new("h1", HostState.Paused, T0, "DE", T0.AddSeconds(5), null, Hold), T0.AddSeconds(6));

        var t = Assert.Single(e.Transitions);
        Assert.Equal((HostState.Paused, HostState.Ready, "the compliance hold was lifted"), (t.From, t.To, t.Reason));
    }

    [Fact]
    public void Evaluate_PendingHostHeldBefore_SaysTheHoldWasLiftedWhenReady()
    {
        var e = EvaluateOne(new("h1", HostState.Pending, T0, "DE", T0.AddSeconds(5), null, Hold), T0.AddSeconds(6));

        Assert.Equal("the compliance hold was lifted", Assert.Single(e.Transitions).Reason);
    }

    [Fact]
    public void Evaluate_HeldHostGoneSilent_StillGoesOffline()
    {
        var e = EvaluateOne(new("h1", HostState.Paused, T0, "DE", T0, Hold, Hold), T0.AddSeconds(61));

        Assert.Equal(HostState.Offline, Assert.Single(e.Transitions).To);
    }

    [Fact]
    public void Evaluate_OfflineHostHeardWhileHeld_ComesBackPaused()
    {
        var e = EvaluateOne(new("h1", HostState.Offline, T0, "DE", T0.AddSeconds(5), Hold, "no heartbeat"), T0.AddSeconds(6));

        var t = Assert.Single(e.Transitions);
        Assert.Equal((HostState.Offline, HostState.Paused, Hold), (t.From, t.To, t.Reason));
    }
}

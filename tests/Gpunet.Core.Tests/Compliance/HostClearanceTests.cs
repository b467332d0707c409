using Gpunet.Core.Compliance;

namespace Gpunet.Core.Tests.Compliance;

public sealed class HostClearanceTests
{
    private static readonly CompliancePolicyEvaluator Evaluator = new(CompliancePolicy.Default);
    private static readonly string[] H100 = ["H100-SXM5-80GB"];

    [Theory]
    [InlineData(LocationCheck.Matches, false, LocationCheck.Matches)]
    [InlineData(LocationCheck.Mismatch, false, LocationCheck.Mismatch)]
    [InlineData(LocationCheck.Mismatch, true, LocationCheck.Cleared)]
    [InlineData(LocationCheck.Unresolved, true, LocationCheck.Cleared)]
    [InlineData(LocationCheck.Matches, true, LocationCheck.Matches)]
    public void Effective_AClearedDifference_ReadsAsCleared(LocationCheck check, bool cleared, LocationCheck effective) =>
        Assert.Equal(effective, new HostLocation("203.0.113.9", "DE", "US", check, cleared).Effective);

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void LocationConfirmed_HostNotLocatedYet_IsWhatTheNetworkTrusts(bool trustDeclared, bool confirmed) =>
        Assert.Equal(confirmed, HostClearance.LocationConfirmed(null, trustDeclared));

    [Fact]
    public void LocationConfirmed_ClearedMismatch_IsConfirmedEvenOnAnUntrustingNetwork() =>
        Assert.True(HostClearance.LocationConfirmed(new HostLocation("203.0.113.9", "DE", "US", LocationCheck.Mismatch, true), false));

    [Fact]
    public void Decide_ControlledGpusWithAnUnconfirmedLocation_AreHeldUntilAnOfficerClearsIt()
    {
        var mismatch = new HostLocation("203.0.113.9", "DE", "US", LocationCheck.Mismatch, false);

        var held = HostClearance.Decide(Evaluator, "DE", null, H100, KycState.Approved, mismatch, trustDeclared: false);
        var cleared = HostClearance.Decide(Evaluator, "DE", null, H100, KycState.Approved, mismatch with { Cleared = true }, trustDeclared: false);

        Assert.Equal([ComplianceRules.LocationUnverified], held.Rules);
        Assert.True(cleared.Allowed);
    }

    [Fact]
    public void Decide_AddressInABlockedCountry_BlocksWhateverTheClearance()
    {
        var inChina = new HostLocation("203.0.113.9", "DE", "CN", LocationCheck.Mismatch, Cleared: true);

        var decision = HostClearance.Decide(Evaluator, "DE", null, ["T4-16GB"], KycState.Approved, inChina, trustDeclared: false);

        Assert.Equal([ComplianceRules.BlockedJurisdiction], decision.Rules);
    }

    [Fact]
    public void Decide_HostNotLocatedOnAnUntrustingNetwork_HoldsControlledGpus() =>
        Assert.Equal([ComplianceRules.LocationUnverified], HostClearance.Decide(Evaluator, "DE", "", H100, KycState.Approved, null, false).Rules);

    [Fact]
    public void Decide_OperatorNotApproved_IsHeld() =>
        Assert.Equal([ComplianceRules.KycNotApproved], HostClearance.Decide(Evaluator, "DE", null, H100, KycState.Pending, null, true).Rules);
}

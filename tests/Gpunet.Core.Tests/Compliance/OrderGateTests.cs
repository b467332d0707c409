using Gpunet.Core.Compliance;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Tests.Compliance;

public sealed class OrderGateTests
{
    private static readonly CompliancePolicyEvaluator Evaluator = new(CompliancePolicy.Default);
    private static readonly ParticipantKyc ApprovedGerman = new(KycState.Approved, "DE", null, "kyc-1");
    private static readonly ParticipantKyc ApprovedIranian = new(KycState.Approved, "IR", null, "kyc-2");
    private static readonly ParticipantKyc Unverified = new(KycState.Unverified, null, null, null);
    private const string H100 = "H100-SXM5-80GB";
    private const string T4 = "T4-16GB";

    private static CandidateHost Host(string model = T4, string country = "DE", bool confirmed = true, long staked = 10, long required = 10) =>
        new("host-1", model, country, "", confirmed, TokenAmount.FromTokens(staked), TokenAmount.FromTokens(required));

    [Fact]
    public void Check_OperatorWithoutResidency_PassesEveryHostWithoutLookingAtIt()
    {
        var gate = new OrderGate(Evaluator, OrderOwner.Operator, Unverified, null, stakeRequired: false);

        Assert.False(gate.ChecksHosts);
        Assert.Null(gate.Check(Host(H100, "US", confirmed: false)));
    }

    [Fact]
    public void Check_OperatorAskingForResidency_IsBoundByIt()
    {
        var gate = new OrderGate(Evaluator, OrderOwner.Operator, Unverified, "EU", stakeRequired: false);

        Assert.True(gate.NeedsConfirmedLocation);
        Assert.Null(gate.Check(Host(H100, "DE")));
        Assert.StartsWith(ComplianceRules.OutsideResidencyZone, gate.Check(Host(H100, "US")), StringComparison.Ordinal);
        Assert.Contains("not confirmed", gate.Check(Host(H100, "DE", confirmed: false)), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OperatorOrderOnUnstakedHost_IsRefusedForStake()
    {
        var gate = new OrderGate(Evaluator, OrderOwner.Operator, Unverified, null, stakeRequired: true);

        Assert.Equal("host-1 is not fully staked (3 of 10 tokens)", gate.Check(Host(staked: 3)));
        Assert.Null(gate.Check(Host(staked: 10)));
    }

    [Fact]
    public void Check_StakeNotRequired_IgnoresAnUnstakedHost() =>
        Assert.Null(new OrderGate(Evaluator, OrderOwner.Customer, ApprovedGerman, null, stakeRequired: false).Check(Host(staked: 0)));

    [Fact]
    public void Check_UnverifiedCustomer_IsRefusedOnEveryHost()
    {
        var gate = new OrderGate(Evaluator, OrderOwner.Customer, Unverified, null, stakeRequired: false);

        Assert.Equal("kyc-not-approved: the customer's KYC/KYB is Unverified, not Approved", gate.Check(Host()));
    }

    [Fact]
    public void Check_RestrictedCustomer_IsRefusedControlledGpusOnly()
    {
        var gate = new OrderGate(Evaluator, OrderOwner.Customer, ApprovedIranian, null, stakeRequired: false);

        Assert.StartsWith(ComplianceRules.RestrictedCustomerJurisdiction, gate.Check(Host(H100)), StringComparison.Ordinal);
        Assert.Null(gate.Check(Host(T4)));
    }

    [Fact]
    public void Check_ApprovedCustomerOnAConfirmedHostInTheZone_Passes() =>
        Assert.Null(new OrderGate(Evaluator, OrderOwner.Customer, ApprovedGerman, "EU", stakeRequired: true).Check(Host(H100, "FR")));

    public static TheoryData<string, string, string?, bool, string?> RentalCases()
    {
        var data = new TheoryData<string, string, string?, bool, string?>();
        foreach (var model in new[] { H100, T4 })
        foreach (var country in new[] { "DE", "US" })
        foreach (var zone in new[] { null, "EU" })
        foreach (var confirmed in new[] { true, false })
        foreach (var customer in new[] { "DE", "IR" })
            data.Add(model, country, zone, confirmed, customer);
        return data;
    }

    [Theory]
    [MemberData(nameof(RentalCases))]
    public void Check_CustomerOnAHostThatMayServe_AgreesWithThePolicyEvaluator(string model, string country, string? zone, bool confirmed, string? customerCountry)
    {
        // The gate's fast path must refuse exactly what the policy refuses, with the policy's words.
        var customer = new ParticipantKyc(KycState.Approved, customerCountry, null, "kyc-3");
        var gate = new OrderGate(Evaluator, OrderOwner.Customer, customer, zone, stakeRequired: false);
        var expected = Evaluator.EvaluateRental(new RentalFacts(customerCountry!, null, KycState.Approved, model, country, "", zone, confirmed));

        Assert.Equal(expected.Allowed ? null : expected.Describe(), gate.Check(Host(model, country, confirmed)));
    }

    [Fact]
    public void Refusal_UnverifiedCustomer_NamesTheirState()
    {
        var refusal = new OrderGate(Evaluator, OrderOwner.Customer, Unverified, null, false).Refusal([]);

        Assert.NotNull(refusal);
        Assert.Equal([ComplianceRules.KycNotApproved], refusal.Rules);
        Assert.Contains("yours is Unverified", refusal.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Refusal_UnknownResidencyZone_ListsTheZonesThereAre()
    {
        var refusal = new OrderGate(Evaluator, OrderOwner.Customer, ApprovedGerman, "Mars", false).Refusal([]);

        Assert.NotNull(refusal);
        Assert.Equal([ComplianceRules.OutsideResidencyZone], refusal.Rules);
        Assert.Contains("no residency zone 'Mars'; it has EU", refusal.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Refusal_OperatorWithUnknownZone_IsRefusedForTheZoneAlone()
    {
        var refusal = new OrderGate(Evaluator, OrderOwner.Operator, Unverified, "Mars", false).Refusal([H100]);

        Assert.NotNull(refusal);
        Assert.Equal([ComplianceRules.OutsideResidencyZone], refusal.Rules);
    }

    [Fact]
    public void Refusal_OperatorWithoutResidency_IsNeverRefused() =>
        Assert.Null(new OrderGate(Evaluator, OrderOwner.Operator, Unverified, null, false).Refusal([H100]));

    [Fact]
    public void Refusal_RestrictedCustomerAskingOnlyForControlledGpus_IsRefused()
    {
        var gate = new OrderGate(Evaluator, OrderOwner.Customer, ApprovedIranian, null, false);

        Assert.Equal([ComplianceRules.RestrictedCustomerJurisdiction], gate.Refusal([H100])!.Rules);
        Assert.Null(gate.Refusal([H100, T4]));
        Assert.Null(gate.Refusal([]));
    }

    [Fact]
    public void Refusal_RestrictedParentCompany_IsRefusedControlledGpus()
    {
        var gate = new OrderGate(Evaluator, OrderOwner.Customer, new ParticipantKyc(KycState.Approved, "DE", "RU", "kyb-1"), null, false);

        Assert.Equal([ComplianceRules.RestrictedParentJurisdiction], gate.Refusal([H100])!.Rules);
    }
}

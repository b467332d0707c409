using Gpunet.Core.Compliance;

namespace Gpunet.Core.Tests.Compliance;

public sealed class CompliancePolicyEvaluatorTests
{
    private static readonly CompliancePolicyEvaluator Evaluator = new(CompliancePolicy.Default);

    // The dimensions of the matrix, each value labelled with what the rule table below needs to know about it.
    private static readonly (string Model, bool Controlled)[] Gpus = [("H100-SXM5-80GB", true), ("T4-16GB", false)];

    private static readonly (string Country, string Region, bool BlockedCountry, bool BlockedRegion, bool InEu)[] Hosts =
    [
        ("DE", "Bavaria", false, false, true),
        ("CN", "Guangdong", true, false, false),
        ("UA", "Crimea", false, true, false),
    ];

    private static readonly (string Country, bool Restricted)[] Customers = [("DE", false), ("IR", true)];

    private static readonly (string? Country, bool Restricted)[] Parents = [(null, false), ("FR", false), ("RU", true)];

    private static readonly KycState[] KycStates = [KycState.Approved, KycState.Pending, KycState.Rejected, KycState.Expired];

    private static readonly string?[] Zones = [null, "EU"];

    public static IEnumerable<object?[]> RentalMatrix()
    {
        foreach (var gpu in Gpus)
        foreach (var host in Hosts)
        foreach (var customer in Customers)
        foreach (var parent in Parents)
        foreach (var kyc in KycStates)
        foreach (var zone in Zones)
        {
            // The rule table, written out independently of the evaluator.
            var rules = new List<string>();
            if (kyc != KycState.Approved)
                rules.Add("kyc-not-approved");
            if (gpu.Controlled && customer.Restricted)
                rules.Add("restricted-customer-jurisdiction");
            if (gpu.Controlled && parent.Restricted)
                rules.Add("restricted-parent-jurisdiction");
            if (zone is not null && !host.InEu)
                rules.Add("outside-residency-zone");
            if (host.BlockedCountry)
                rules.Add("blocked-jurisdiction");
            if (host.BlockedRegion)
                rules.Add("blocked-region");
            yield return [gpu.Model, host.Country, host.Region, customer.Country, parent.Country, kyc, zone, rules.Count == 0, Join(rules)];
        }
    }

    public static IEnumerable<object[]> HostMatrix()
    {
        foreach (var gpu in Gpus)
        foreach (var host in Hosts)
        foreach (var kyc in KycStates.Append(KycState.Unverified))
        foreach (var location in Enum.GetValues<LocationCheck>())
        {
            var rules = new List<string>();
            if (kyc != KycState.Approved)
                rules.Add("kyc-not-approved");
            if (host.BlockedCountry)
                rules.Add("blocked-jurisdiction");
            if (host.BlockedRegion)
                rules.Add("blocked-region");
            // A location that is not confirmed stops controlled GPUs only, and not once it is cleared.
            if (gpu.Controlled && location is LocationCheck.Mismatch or LocationCheck.Unresolved)
                rules.Add("location-unverified");
            yield return [gpu.Model, host.Country, host.Region, kyc, location, rules.Count == 0, Join(rules)];
        }
    }

    [Theory]
    [MemberData(nameof(RentalMatrix))]
    public void EvaluateRental_Matrix_AllowsOrNamesEveryRule(
        string model, string hostCountry, string hostRegion, string customer, string? parent, KycState kyc, string? zone,
        bool allowed, string rules)
    {
        var decision = Evaluator.EvaluateRental(new RentalFacts(customer, parent, kyc, model, hostCountry, hostRegion, zone));

        Assert.Equal(allowed, decision.Allowed);
        Assert.Equal(rules, Join(decision.Rules));
        Assert.Equal(CompliancePolicy.Default.Version, decision.PolicyVersion);
        Assert.All(decision.Reasons, r => Assert.False(string.IsNullOrWhiteSpace(r.Message)));
    }

    [Theory]
    [MemberData(nameof(HostMatrix))]
    public void EvaluateHost_Matrix_AllowsOrNamesEveryRule(
        string model, string country, string region, KycState kyc, LocationCheck location, bool allowed, string rules)
    {
        var decision = Evaluator.EvaluateHost(new HostFacts(country, region, [model], kyc, location));

        Assert.Equal(allowed, decision.Allowed);
        Assert.Equal(rules, Join(decision.Rules));
        Assert.Equal(CompliancePolicy.Default.Version, decision.PolicyVersion);
    }

    [Fact]
    public void EvaluateHost_MixedGpusWithLocationMismatch_NamesOnlyTheControlledOnes()
    {
        var decision = Evaluator.EvaluateHost(new HostFacts("US", "", ["T4-16GB", "A100-SXM4-80GB"], KycState.Approved, LocationCheck.Mismatch));

        var reason = Assert.Single(decision.Reasons);
        Assert.Equal(ComplianceRules.LocationUnverified, reason.Rule);
        Assert.Contains("A100-SXM4-80GB", reason.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("T4", reason.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("A800-SXM4-80GB")]
    [InlineData("H800-PCIe-80GB")]
    [InlineData("H200-NVL-141GB")]
    [InlineData("H20-96GB")]
    [InlineData("B200-SXM-180GB")]
    [InlineData("L40S-48GB")]
    [InlineData("RTX-4090-24GB")]
    public void EvaluateRental_ControlledClassForRestrictedCustomer_NamesTheRegulation(string model)
    {
        var decision = Evaluator.EvaluateRental(new RentalFacts("CN", null, KycState.Approved, model, "US", "", null));

        var reason = Assert.Single(decision.Reasons);
        Assert.Equal(ComplianceRules.RestrictedCustomerJurisdiction, reason.Rule);
        Assert.Contains("US EAR", reason.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("L4-24GB")]
    [InlineData("RTX-3090-24GB")]
    [InlineData("V100-SXM2-32GB")]
    public void EvaluateRental_UncontrolledClassForRestrictedCustomer_IsAllowed(string model) =>
        Assert.True(Evaluator.EvaluateRental(new RentalFacts("RU", "RU", KycState.Approved, model, "US", "", null)).Allowed);

    [Fact]
    public void EvaluateRental_ZoneNotInPolicy_IsRefused()
    {
        var decision = Evaluator.EvaluateRental(new RentalFacts("DE", null, KycState.Approved, "T4-16GB", "DE", "", "Mars"));

        Assert.Equal([ComplianceRules.OutsideResidencyZone], decision.Rules);
    }

    [Fact]
    public void EvaluateRental_LowerCaseCountriesAndRegions_AreStillBlocked()
    {
        var decision = Evaluator.EvaluateRental(new RentalFacts("ir", "ru", KycState.Approved, "H100-SXM5-80GB", "ua", "crimea", null));

        Assert.Equal(
            [ComplianceRules.RestrictedCustomerJurisdiction, ComplianceRules.RestrictedParentJurisdiction, ComplianceRules.BlockedRegion],
            decision.Rules);
    }

    [Fact]
    public void Evaluate_PolicyWithOtherVersion_CarriesThatVersion()
    {
        var evaluator = new CompliancePolicyEvaluator(CompliancePolicy.Default with { Version = "v2" });

        Assert.Equal("v2", evaluator.EvaluateHost(new HostFacts("US", "", [], KycState.Approved, LocationCheck.Matches)).PolicyVersion);
    }

    [Theory]
    [InlineData(LocationCheck.Mismatch)]
    [InlineData(LocationCheck.Cleared)]
    public void EvaluateHost_AddressInABlockedCountry_BlocksEvenUncontrolledGpusAndACleared(LocationCheck location)
    {
        var decision = Evaluator.EvaluateHost(new HostFacts("DE", "Hesse", ["T4-16GB"], KycState.Approved, location, "2.176.0.1", "IR"));

        Assert.Equal([ComplianceRules.BlockedJurisdiction], decision.Rules);
        Assert.Contains("address 2.176.0.1 is in IR", decision.Reasons[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EvaluateHost_AddressInTheDeclaredBlockedCountry_NamesTheRuleOnce()
    {
        var decision = Evaluator.EvaluateHost(new HostFacts("IR", "", ["T4-16GB"], KycState.Approved, LocationCheck.Matches, "2.176.0.1", "IR"));

        Assert.Equal([ComplianceRules.BlockedJurisdiction], decision.Rules);
    }

    [Fact]
    public void EvaluateRental_ResidencyOnAHostWhoseLocationIsUnconfirmed_IsOutsideTheZone()
    {
        var unconfirmed = Evaluator.EvaluateRental(new RentalFacts("DE", null, KycState.Approved, "T4-16GB", "DE", "", "EU", HostLocationConfirmed: false));
        var confirmed = Evaluator.EvaluateRental(new RentalFacts("DE", null, KycState.Approved, "T4-16GB", "DE", "", "EU"));

        Assert.Equal([ComplianceRules.OutsideResidencyZone], unconfirmed.Rules);
        Assert.Contains("not confirmed", unconfirmed.Reasons[0].Message, StringComparison.Ordinal);
        Assert.True(confirmed.Allowed);
    }

    private static string Join(IEnumerable<string> rules) => string.Join(",", rules.Order(StringComparer.Ordinal));
}

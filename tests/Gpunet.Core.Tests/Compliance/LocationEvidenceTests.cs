using System.Net;
using Gpunet.Core.Compliance;

namespace Gpunet.Core.Tests.Compliance;

public sealed class LocationEvidenceTests
{
    private static readonly IPAddress Public = IPAddress.Parse("203.0.113.9");
    private static readonly IPAddress Private = IPAddress.Parse("10.1.2.3");

    private static (string? Country, string Note) InUs(IPAddress a) => ("US", $"{a} is in US");

    private static (string? Country, string Note) Nowhere(IPAddress a) => (null, $"{a} resolves to no country");

    [Fact]
    public void Assess_PublicConnection_IsTheEvidenceEvenWhenTheHostDeclaresAnotherAddress()
    {
        var finding = LocationEvidence.Assess(new LocationSighting("DE", "198.51.100.1", Public, true, TrustDeclared: true), InUs, null);

        Assert.Equal(("203.0.113.9", "connection"), (finding.Address, finding.Source));
        Assert.Equal(LocationCheck.Mismatch, finding.Check);
        Assert.Equal("US", finding.ResolvedCountry);
        Assert.Equal("203.0.113.9 is in US, but the host declared DE", finding.Detail);
    }

    [Fact]
    public void Assess_PrivateConnectionOnAnUntrustingNetwork_IsUnresolvedAndSaysTheDeclarationIsNoEvidence()
    {
        var finding = LocationEvidence.Assess(new LocationSighting("DE", "198.51.100.1", Private, false, TrustDeclared: false), InUs, null);

        Assert.Equal(LocationCheck.Unresolved, finding.Check);
        Assert.Equal(("", "none"), (finding.Address, finding.Source));
        Assert.Equal("the agent connects from 10.1.2.3, not a public address; the address it declares (198.51.100.1) is its own word, not evidence",
            finding.Detail);
    }

    [Fact]
    public void Assess_TrustingNetwork_TakesTheDeclaredAddress()
    {
        var finding = LocationEvidence.Assess(new LocationSighting("US", "198.51.100.1", Private, false, TrustDeclared: true), InUs, null);

        Assert.Equal(("198.51.100.1", "declared", LocationCheck.Matches), (finding.Address, finding.Source, finding.Check));
    }

    [Fact]
    public void Assess_TrustingNetworkWithNoAddressAtAll_TrustsTheDeclaredCountry()
    {
        var finding = LocationEvidence.Assess(new LocationSighting("DE", "", null, false, TrustDeclared: true), InUs, null);

        Assert.Equal(LocationCheck.Matches, finding.Check);
        Assert.Equal("no public address; the declared DE is trusted by this network's configuration", finding.Detail);
    }

    [Fact]
    public void Assess_NoLocationDatabase_IsUnresolvedWithTheReason()
    {
        var finding = LocationEvidence.Assess(new LocationSighting("DE", "", Public, true, false), null, "no IP location database (missing)");

        Assert.Equal(LocationCheck.Unresolved, finding.Check);
        Assert.Equal("203.0.113.9 cannot be located: no IP location database (missing)", finding.Detail);
    }

    [Fact]
    public void Assess_AddressThatPlacesNowhere_IsUnresolvedWithTheDatabaseNote()
    {
        var finding = LocationEvidence.Assess(new LocationSighting("DE", "", Public, true, false), Nowhere, null);

        Assert.Equal((LocationCheck.Unresolved, (string?)null, "203.0.113.9 resolves to no country"), (finding.Check, finding.ResolvedCountry, finding.Detail));
    }

    [Fact]
    public void KeepsClearance_SameAddressAndDeclaration_KeepsIt()
    {
        var known = new HostLocation("203.0.113.9", "DE", "US", LocationCheck.Mismatch, Cleared: true);
        var again = new LocationFinding("203.0.113.9", "connection", "US", LocationCheck.Mismatch, "");

        Assert.True(LocationEvidence.KeepsClearance(known, again, "DE"));
        Assert.False(LocationEvidence.KeepsClearance(known, again with { Address = "203.0.113.10" }, "DE"));
        Assert.False(LocationEvidence.KeepsClearance(known, again, "FR"));
        Assert.False(LocationEvidence.KeepsClearance(known with { Cleared = false }, again, "DE"));
    }

    [Fact]
    public void Unchanged_SameFinding_IsUnchangedAndANewCountryIsNot()
    {
        var known = new HostLocation("203.0.113.9", "DE", "DE", LocationCheck.Matches, Cleared: false);
        var same = new LocationFinding("203.0.113.9", "connection", "DE", LocationCheck.Matches, "");

        Assert.True(LocationEvidence.Unchanged(known, same, "DE"));
        Assert.False(LocationEvidence.Unchanged(known, same with { ResolvedCountry = "US", Check = LocationCheck.Mismatch }, "DE"));
        Assert.False(LocationEvidence.Unchanged(null, same, "DE"));
    }
}

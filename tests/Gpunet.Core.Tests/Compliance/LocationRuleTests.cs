using Gpunet.Core.Compliance;

namespace Gpunet.Core.Tests.Compliance;

public sealed class LocationRuleTests
{
    [Theory]
    [InlineData("DE", "DE")]
    [InlineData("de", "DE")]
    [InlineData("DE", "de")]
    public void Compare_SameCountryInAnyCase_Matches(string declared, string resolved) =>
        Assert.Equal(LocationCheck.Matches, LocationRule.Compare(declared, resolved));

    [Fact]
    public void Compare_OtherCountry_IsAMismatch() =>
        Assert.Equal(LocationCheck.Mismatch, LocationRule.Compare("DE", "US"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void Compare_NoResolvedCountry_IsUnresolved(string? resolved) =>
        Assert.Equal(LocationCheck.Unresolved, LocationRule.Compare("DE", resolved));

    [Fact]
    public void Compare_NoDeclaredCountry_IsRefused() =>
        Assert.Throws<ArgumentException>(() => LocationRule.Compare("", "DE"));

    [Fact]
    public void Describe_Mismatch_NamesBothCountries() =>
        Assert.Equal("203.0.113.9 is in US, but the host declared DE",
            LocationRule.Describe(LocationCheck.Mismatch, "de", "us", "203.0.113.9"));

    [Fact]
    public void Describe_Matches_SaysTheDeclarationHolds() =>
        Assert.Equal("198.51.100.7 is in FI, as the host declared",
            LocationRule.Describe(LocationCheck.Matches, "FI", "FI", "198.51.100.7"));

    [Fact]
    public void Describe_Unresolved_SaysTheDeclarationCannotBeConfirmed() =>
        Assert.Equal("192.0.2.1 resolves to no country, so the declared JP cannot be confirmed",
            LocationRule.Describe(LocationCheck.Unresolved, "JP", null, "192.0.2.1"));

    [Fact]
    public void Describe_Cleared_SaysAnOfficerClearedIt() =>
        Assert.Equal("203.0.113.9 is in US and the host declared DE; a compliance officer cleared the difference",
            LocationRule.Describe(LocationCheck.Cleared, "DE", "US", "203.0.113.9"));
}

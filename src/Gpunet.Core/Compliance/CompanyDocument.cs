namespace Gpunet.Core.Compliance;

/// <summary>A validated KYB document of a company.</summary>
/// <param name="RegistrationNumber">The number in the company register, trimmed.</param>
/// <param name="ParentCountry">Upper-case ISO 3166-1 alpha-2 code of the ultimate parent's country; null when there is no parent.</param>
/// <param name="BeneficialOwners">At most 20 owners of 25 % or more each, 100 % at most together; may be empty.</param>
public sealed record CompanyDocument(
    string LegalName, string RegistrationNumber, string Country, string? ParentCountry, IReadOnlyList<BeneficialOwner> BeneficialOwners)
    : KycDocument(LegalName, Country)
{
    /// <inheritdoc />
    public override string? ParentCountryOrNull => ParentCountry;

    /// <summary>The company with its registration country, then every beneficial owner.</summary>
    public override IEnumerable<(string Name, DateOnly? DateOfBirth, string? Country)> ScreeningNames()
    {
        yield return (LegalName, null, Country);
        foreach (var owner in BeneficialOwners)
            yield return (owner.Name, owner.DateOfBirth, owner.Country);
    }
}

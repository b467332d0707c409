namespace Gpunet.Core.Compliance;

/// <summary>A validated KYC document of a natural person.</summary>
/// <param name="DateOfBirth">The person is at least 18 years old on the day of submission.</param>
/// <param name="DocumentNumber">The identity document's number, trimmed.</param>
/// <param name="DocumentCountry">Upper-case ISO 3166-1 alpha-2 code of the issuing country.</param>
public sealed record PersonDocument(string LegalName, DateOnly DateOfBirth, string Country, string DocumentNumber, string DocumentCountry)
    : KycDocument(LegalName, Country)
{
    /// <summary>The person alone.</summary>
    public override IEnumerable<(string Name, DateOnly? DateOfBirth, string? Country)> ScreeningNames()
    {
        yield return (LegalName, DateOfBirth, Country);
    }
}

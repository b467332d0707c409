namespace Gpunet.Core.Compliance;

/// <summary>A validated KYC (person) or KYB (company) document.</summary>
/// <param name="LegalName">The legal name, trimmed.</param>
/// <param name="Country">Upper-case ISO 3166-1 alpha-2 code: residence of a person, registration of a company.</param>
public abstract record KycDocument(string LegalName, string Country)
{
    /// <summary>The country of the ultimate parent company; null for persons and for companies without a parent.</summary>
    public virtual string? ParentCountryOrNull => null;

    /// <summary>Every name a sanctions screener must check, with what is known to tell namesakes apart.</summary>
    public abstract IEnumerable<(string Name, DateOnly? DateOfBirth, string? Country)> ScreeningNames();
}

namespace Gpunet.Core.Compliance;

/// <summary>A KYC (person) or KYB (company) submission as it arrives from JSON, before validation.</summary>
/// <remarks>Every property is nullable so that <see cref="KycDocuments.TryCreate"/> can name each missing field.
/// JSON names (camelCase) come from the serializer options. Fields of the other kind must be absent.</remarks>
public sealed record KycSubmissionInput
{
    /// <summary><c>person</c> (KYC) or <c>company</c> (KYB).</summary>
    public string? Kind { get; init; }

    /// <summary>The person's or the company's legal name.</summary>
    public string? LegalName { get; init; }

    /// <summary>Person only: date of birth, ISO <c>yyyy-MM-dd</c>.</summary>
    public string? DateOfBirth { get; init; }

    /// <summary>The person's country of residence, or the company's country of registration (ISO 3166-1 alpha-2).</summary>
    public string? Country { get; init; }

    /// <summary>Person only: the number of the identity document.</summary>
    public string? DocumentNumber { get; init; }

    /// <summary>Person only: the country that issued the identity document (ISO 3166-1 alpha-2).</summary>
    public string? DocumentCountry { get; init; }

    /// <summary>Company only: the number in the company register.</summary>
    public string? RegistrationNumber { get; init; }

    /// <summary>Company only: the country of the ultimate parent company; null when there is no parent.</summary>
    public string? ParentCountry { get; init; }

    /// <summary>Company only: the beneficial owners (25 % or more each).</summary>
    public IReadOnlyList<BeneficialOwnerInput>? BeneficialOwners { get; init; }
}

using System.ComponentModel.DataAnnotations;

namespace Gpunet.Core.Compliance;

/// <summary>A KYC (person) or KYB (company) submission as it arrives from JSON, before validation.</summary>
/// <remarks>Every property is nullable so that <see cref="KycDocuments.TryCreate"/> can name each missing field.
/// JSON names (camelCase) come from the serializer options. Fields of the other kind must be absent.</remarks>
public sealed record KycSubmissionInput
{
    // The attributes describe the fields for the API's OpenAPI document; KycDocuments.TryCreate is what checks them.
    private const string CountryPattern = "^[A-Z]{2}$";

    /// <summary><c>person</c> (KYC) or <c>company</c> (KYB).</summary>
    [Required, AllowedValues("person", "company")]
    public string? Kind { get; init; }

    /// <summary>The person's or the company's legal name.</summary>
    [Required, StringLength(200, MinimumLength = 2)]
    public string? LegalName { get; init; }

    /// <summary>Person only: date of birth, ISO <c>yyyy-MM-dd</c>.</summary>
    [RegularExpression(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    public string? DateOfBirth { get; init; }

    /// <summary>The person's country of residence, or the company's country of registration (ISO 3166-1 alpha-2).</summary>
    [Required, RegularExpression(CountryPattern)]
    public string? Country { get; init; }

    /// <summary>Person only: the number of the identity document.</summary>
    [StringLength(64, MinimumLength = 3)]
    public string? DocumentNumber { get; init; }

    /// <summary>Person only: the country that issued the identity document (ISO 3166-1 alpha-2).</summary>
    [RegularExpression(CountryPattern)]
    public string? DocumentCountry { get; init; }

    /// <summary>Company only: the number in the company register.</summary>
    [StringLength(64, MinimumLength = 3)]
    public string? RegistrationNumber { get; init; }

    /// <summary>Company only: the country of the ultimate parent company; null when there is no parent.</summary>
    [RegularExpression(CountryPattern)]
    public string? ParentCountry { get; init; }

    /// <summary>Company only: the beneficial owners (25 % or more each).</summary>
    public IReadOnlyList<BeneficialOwnerInput>? BeneficialOwners { get; init; }
}

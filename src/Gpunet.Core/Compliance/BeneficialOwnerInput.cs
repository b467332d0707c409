using System.ComponentModel.DataAnnotations;

namespace Gpunet.Core.Compliance;

/// <summary>A beneficial owner of a company as it arrives from JSON, before validation.</summary>
/// <param name="Name">The owner's full name.</param>
/// <param name="DateOfBirth">Optional, ISO <c>yyyy-MM-dd</c>.</param>
/// <param name="Country">Country of residence (ISO 3166-1 alpha-2).</param>
/// <param name="SharePercent">The share held, in percent (25 to 100).</param>
public sealed record BeneficialOwnerInput(
    [property: Required, StringLength(200, MinimumLength = 2)] string? Name,
    [property: RegularExpression("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")] string? DateOfBirth,
    [property: Required, RegularExpression("^[A-Z]{2}$")] string? Country,
    [property: Required, Range(25, 100)] decimal? SharePercent);

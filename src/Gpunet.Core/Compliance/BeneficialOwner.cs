namespace Gpunet.Core.Compliance;

/// <summary>A validated beneficial owner of a company: a person who holds 25 % or more of it.</summary>
/// <param name="Name">The owner's full name, trimmed.</param>
/// <param name="DateOfBirth">When given; helps the sanctions screener tell namesakes apart.</param>
/// <param name="Country">Upper-case ISO 3166-1 alpha-2 code.</param>
/// <param name="SharePercent">The share held, in percent (25 to 100).</param>
public sealed record BeneficialOwner(string Name, DateOnly? DateOfBirth, string Country, decimal SharePercent);

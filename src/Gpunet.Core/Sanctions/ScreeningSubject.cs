namespace Gpunet.Core.Sanctions;

/// <summary>A person or organisation to screen: a name, and where known a date of birth and a country.</summary>
/// <param name="Name">The name in any order (<c>Jong Un Kim</c> or <c>KIM, Jong Un</c>); case and diacritics do not matter.</param>
/// <param name="DateOfBirth">For people, when known; organisations have none.</param>
/// <param name="Country">Nationality or country of registration: an ISO alpha-2 code or an English name, when known.</param>
public sealed record ScreeningSubject(string Name, DateOnly? DateOfBirth = null, string? Country = null);

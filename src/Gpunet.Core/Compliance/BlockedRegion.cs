namespace Gpunet.Core.Compliance;

/// <summary>A region of a country where no GPU may be onboarded, e.g. <c>UA</c> / <c>Crimea</c>.</summary>
/// <param name="Country">ISO 3166-1 alpha-2 code, upper-case.</param>
/// <param name="Region">The region's name as hosts declare it; compared ignoring case.</param>
public sealed record BlockedRegion(string Country, string Region);

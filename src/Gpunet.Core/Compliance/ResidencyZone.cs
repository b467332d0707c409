namespace Gpunet.Core.Compliance;

/// <summary>A data-residency choice a customer can ask for: a name and the countries a host must be in.</summary>
/// <param name="Name">The zone's name, e.g. <c>EU</c>; compared ignoring case.</param>
/// <param name="Countries">ISO 3166-1 alpha-2 codes, upper-case.</param>
public sealed record ResidencyZone(string Name, IReadOnlyList<string> Countries);

namespace Gpunet.Coordinator.Compliance;

/// <summary>Where the IP location database places an address.</summary>
/// <param name="Country">ISO 3166-1 alpha-2, upper-case; null when the address places nowhere.</param>
/// <param name="Note">One line for people: "8.8.8.8 is in US", "10.1.2.3 is a private address",
/// "192.0.2.1 is a documentation address", "… resolves to no country".</param>
internal readonly record struct GeoIpLookup(string? Country, string Note);

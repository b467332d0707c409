namespace Gpunet.Core.Compliance;

/// <summary>What one look at a host's location found.</summary>
/// <param name="Address">The address taken as evidence; empty when there was none.</param>
/// <param name="Source">Where that address came from: <c>connection</c>, <c>declared</c> or <c>none</c>.</param>
/// <param name="ResolvedCountry">The country the address is in; null when unknown.</param>
/// <param name="Check">How that compares with the declared country.</param>
/// <param name="Detail">One line for the host's operator and compliance officers.</param>
public sealed record LocationFinding(string Address, string Source, string? ResolvedCountry, LocationCheck Check, string Detail);

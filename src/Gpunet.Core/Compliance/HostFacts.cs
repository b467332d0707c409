namespace Gpunet.Core.Compliance;

/// <summary>What the policy needs to know about a host to decide whether it may be onboarded.</summary>
/// <param name="Country">The declared ISO 3166-1 alpha-2 country.</param>
/// <param name="Region">The declared region; may be empty.</param>
/// <param name="GpuModels">Canonical catalog model names, e.g. <c>H100-SXM5-80GB</c>.</param>
/// <param name="OperatorKyc">The host operator's KYC/KYB state.</param>
/// <param name="Location">How the IP location compares with the declaration.</param>
/// <param name="Address">The public address the host was located by; null when none.</param>
/// <param name="ResolvedCountry">The country that address is in; null when unknown. Where it differs from the declared
/// one, it counts too: an address in a blocked jurisdiction blocks every GPU, whatever the host declares.</param>
public sealed record HostFacts(
    string Country, string Region, IReadOnlyList<string> GpuModels, KycState OperatorKyc, LocationCheck Location,
    string? Address = null, string? ResolvedCountry = null);

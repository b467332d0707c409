namespace Gpunet.Core.Compliance;

/// <summary>What the policy needs to know to decide whether a customer may rent a GPU on a host.</summary>
/// <param name="CustomerCountry">The customer's country (residence, or a company's registration).</param>
/// <param name="ParentCountry">The country of a company's ultimate parent; null for persons and independent companies.</param>
/// <param name="CustomerKyc">The customer's KYC/KYB state.</param>
/// <param name="GpuModel">The canonical catalog model name, e.g. <c>H100-SXM5-80GB</c>.</param>
/// <param name="HostCountry">The host's country.</param>
/// <param name="HostRegion">The host's region; may be empty.</param>
/// <param name="ResidencyZone">The residency zone the order asks for, e.g. <c>EU</c>; null for none.</param>
/// <param name="HostLocationConfirmed">Whether the host's address confirms its country (or an officer cleared it): a
/// residency choice counts only confirmed locations.</param>
public sealed record RentalFacts(
    string CustomerCountry,
    string? ParentCountry,
    KycState CustomerKyc,
    string GpuModel,
    string HostCountry,
    string HostRegion,
    string? ResidencyZone,
    bool HostLocationConfirmed = true);

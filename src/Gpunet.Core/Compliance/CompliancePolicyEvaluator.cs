namespace Gpunet.Core.Compliance;

/// <summary>Decides whether a host may be onboarded and whether a rental may go ahead under one policy.</summary>
/// <remarks>Pure and thread-safe. A decision names every rule that stops it, not only the first, in a fixed order.</remarks>
public sealed class CompliancePolicyEvaluator
{
    private readonly HashSet<string> _blockedCountries;
    private readonly HashSet<string> _restrictedCustomers;
    private readonly HashSet<string> _restrictedParents;

    /// <summary>An evaluator for <paramref name="policy"/>.</summary>
    public CompliancePolicyEvaluator(CompliancePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        _blockedCountries = new(policy.BlockedHostJurisdictions, StringComparer.OrdinalIgnoreCase);
        _restrictedCustomers = new(policy.RestrictedCustomerJurisdictions, StringComparer.OrdinalIgnoreCase);
        _restrictedParents = new(policy.RestrictedParentJurisdictions, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The policy this evaluator applies.</summary>
    public CompliancePolicy Policy { get; }

    /// <summary>Whether a host may be onboarded (become Ready), with every rule that stops it.</summary>
    public ComplianceDecision EvaluateHost(HostFacts host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var reasons = new List<ComplianceReason>();
        if (host.OperatorKyc != KycState.Approved)
            reasons.Add(new(ComplianceRules.KycNotApproved, $"the host operator's KYC is {host.OperatorKyc}, not Approved"));
        AddHostLocationReasons(reasons, host.Country, host.Region);
        if (host.ResolvedCountry is { } there && !string.Equals(there.Trim(), host.Country.Trim(), StringComparison.OrdinalIgnoreCase)
            && _blockedCountries.Contains(there.Trim()))
        {
            // Where the address is counts as much as what the host declares, and no clearance lifts it.
            reasons.Add(new(ComplianceRules.BlockedJurisdiction,
                $"the host's address {host.Address} is in {there.Trim().ToUpperInvariant()}: no GPU may be onboarded in {there.Trim().ToUpperInvariant()}"));
        }

        // A location that is not confirmed only stops export-controlled GPUs, until an officer clears it.
        var controlled = host.GpuModels.Where(Policy.IsControlled).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (controlled.Count > 0 && host.Location is LocationCheck.Mismatch or LocationCheck.Unresolved)
        {
            var what = host.Location == LocationCheck.Mismatch
                ? $"the IP location does not match the declared {host.Country}"
                : "the IP address resolves to no country";
            reasons.Add(new(ComplianceRules.LocationUnverified,
                $"{what}, and the host has export-controlled GPUs ({string.Join(", ", controlled)}); a compliance officer must clear it"));
        }

        return new(Policy.Version, reasons);
    }

    /// <summary>Whether a customer may rent a GPU on a host, with every rule that stops it.</summary>
    public ComplianceDecision EvaluateRental(RentalFacts rental)
    {
        ArgumentNullException.ThrowIfNull(rental);
        var reasons = new List<ComplianceReason>();
        if (rental.CustomerKyc != KycState.Approved)
            reasons.Add(new(ComplianceRules.KycNotApproved, $"the customer's KYC/KYB is {rental.CustomerKyc}, not Approved"));

        if (Policy.ControlledClassOf(rental.GpuModel) is { } controlled)
        {
            if (_restrictedCustomers.Contains(rental.CustomerCountry.Trim()))
            {
                reasons.Add(new(ComplianceRules.RestrictedCustomerJurisdiction,
                    $"customers in {rental.CustomerCountry} may not rent {rental.GpuModel} anywhere ({controlled.Rule})"));
            }

            if (rental.ParentCountry is { } parent && _restrictedParents.Contains(parent.Trim()))
            {
                reasons.Add(new(ComplianceRules.RestrictedParentJurisdiction,
                    $"customers whose parent company is in {parent} may not rent {rental.GpuModel} anywhere ({controlled.Rule})"));
            }
        }

        if (rental.ResidencyZone is { } zoneName)
        {
            var zone = Policy.ResidencyZones.FirstOrDefault(z => string.Equals(z.Name, zoneName.Trim(), StringComparison.OrdinalIgnoreCase));
            if (zone is null)
            {
                reasons.Add(new(ComplianceRules.OutsideResidencyZone, $"the policy has no residency zone '{zoneName}'"));
            }
            else if (!zone.Countries.Contains(rental.HostCountry.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                reasons.Add(new(ComplianceRules.OutsideResidencyZone,
                    $"the host is in {rental.HostCountry}, outside the residency zone {zone.Name}"));
            }
            else if (!rental.HostLocationConfirmed)
            {
                reasons.Add(new(ComplianceRules.OutsideResidencyZone,
                    $"the host's location in {rental.HostCountry} is not confirmed by its address, so it cannot count as inside {zone.Name}"));
            }
        }

        AddHostLocationReasons(reasons, rental.HostCountry, rental.HostRegion);
        return new(Policy.Version, reasons);
    }

    private void AddHostLocationReasons(List<ComplianceReason> reasons, string country, string region)
    {
        var c = country.Trim();
        if (_blockedCountries.Contains(c))
            reasons.Add(new(ComplianceRules.BlockedJurisdiction, $"no GPU may be onboarded in {c.ToUpperInvariant()}"));

        var r = region.Trim();
        if (r.Length > 0 && Policy.BlockedHostRegions.Any(b =>
                string.Equals(b.Country, c, StringComparison.OrdinalIgnoreCase) && string.Equals(b.Region, r, StringComparison.OrdinalIgnoreCase)))
        {
            reasons.Add(new(ComplianceRules.BlockedRegion, $"no GPU may be onboarded in {r}, {c.ToUpperInvariant()}"));
        }
    }
}

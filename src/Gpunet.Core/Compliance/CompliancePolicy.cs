using Gpunet.Core.Gpus;

namespace Gpunet.Core.Compliance;

/// <summary>The geofence and export-control policy, as data: versioned, parsed from and written to YAML.</summary>
/// <remarks>Country codes are ISO 3166-1 alpha-2, upper-case. Load one with <see cref="CompliancePolicyParser"/>,
/// which refuses a policy with any error; decide with <see cref="CompliancePolicyEvaluator"/>.</remarks>
/// <param name="Version">The policy version recorded with every decision.</param>
/// <param name="BlockedHostJurisdictions">Countries where no GPU may be onboarded.</param>
/// <param name="BlockedHostRegions">Regions where no GPU may be onboarded.</param>
/// <param name="ControlledGpuClasses">Export-controlled GPU families, each with the rule it comes from.</param>
/// <param name="RestrictedCustomerJurisdictions">Customer countries that may not rent a controlled class anywhere.</param>
/// <param name="RestrictedParentJurisdictions">Parent-company countries whose subsidiaries may not rent a controlled class.</param>
/// <param name="ResidencyZones">Data-residency choices a customer can ask for.</param>
public sealed record CompliancePolicy(
    string Version,
    IReadOnlyList<string> BlockedHostJurisdictions,
    IReadOnlyList<BlockedRegion> BlockedHostRegions,
    IReadOnlyList<ControlledGpuClass> ControlledGpuClasses,
    IReadOnlyList<string> RestrictedCustomerJurisdictions,
    IReadOnlyList<string> RestrictedParentJurisdictions,
    IReadOnlyList<ResidencyZone> ResidencyZones)
{
    // US EAR advanced-computing rule of 17 October 2023: ECCN 3A090 chips (TPP >= 4800, or the density
    // thresholds that caught A800/H800/L40S/RTX 4090) and 4A090 computers that contain them.
    private const string EarOct2023 = "US EAR 3A090 / ECCN 4A090 (Oct 2023)";

    // Comprehensively sanctioned jurisdictions under OFAC programmes: China is included for the export-control
    // side (EAR country group D:5 for 3A090 items), the others are embargoed.
    private static readonly string[] Embargoed = ["CN", "CU", "IR", "KP", "SY"];

    /// <summary>The policy the project ships with.</summary>
    public static CompliancePolicy Default { get; } = new(
        "2026-11-25.1",
        Embargoed,
        [
            // OFAC Crimea (EO 13685) and Donetsk/Luhansk (EO 14065) region embargoes; Sevastopol is listed apart.
            new("UA", "Crimea"),
            new("UA", "Sevastopol"),
            new("UA", "Donetsk"),
            new("UA", "Luhansk"),
        ],
        [
            new("A100", EarOct2023),
            new("A800", EarOct2023),
            new("H100", EarOct2023),
            new("H800", EarOct2023),
            new("H200", EarOct2023),
            new("H20", "US EAR 3A090.z / BIS licence requirement (Apr 2025)"),
            new("B200", EarOct2023),
            new("GH200", EarOct2023),
            new("L40S", EarOct2023),
            new("RTX-4090", EarOct2023),
        ],
        // Russia and Belarus: EAR 15 CFR 746.8 licence requirement for 3A090/4A090 items.
        [.. Embargoed, "RU", "BY"],
        [.. Embargoed, "RU", "BY"],
        [
            new("EU", [
                "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
                "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
            ]),
        ]);

    /// <summary>Whether <paramref name="gpuModel"/> (a canonical model name or a family) is in a controlled class.</summary>
    public bool IsControlled(string gpuModel) => ControlledClassOf(gpuModel) is not null;

    /// <summary>The controlled class <paramref name="gpuModel"/> belongs to, or null when it is not controlled.</summary>
    public ControlledGpuClass? ControlledClassOf(string gpuModel)
    {
        foreach (var c in ControlledGpuClasses)
        {
            if (GpuCatalog.Matches(c.Family, gpuModel) || string.Equals(c.Family, gpuModel.Trim(), StringComparison.OrdinalIgnoreCase))
                return c;
        }

        return null;
    }
}

namespace Gpunet.Core.Compliance;

/// <summary>Whether a host is cleared to serve: its location as compliance knows it, and every host rule of the policy.</summary>
public static class HostClearance
{
    /// <summary>The location check that counts for a host: its check in force, or, for a host not located yet, the
    /// declaration when this network trusts it and <see cref="LocationCheck.Unresolved"/> when it does not.</summary>
    public static LocationCheck CheckOf(HostLocation? known, bool trustDeclared) =>
        known?.Effective ?? (trustDeclared ? LocationCheck.Matches : LocationCheck.Unresolved);

    /// <summary>Whether the host's location is confirmed (by its address, by an officer, or, not located yet, by a
    /// network that trusts declarations): what a residency choice needs.</summary>
    public static bool LocationConfirmed(HostLocation? known, bool trustDeclared) => known?.Confirmed ?? trustDeclared;

    /// <summary>Everything the policy decides about a host now.</summary>
    /// <param name="region">The declared region; null or empty for none.</param>
    /// <param name="gpuModels">Its canonical GPU model names.</param>
    /// <param name="operatorKyc">The host operator's KYC/KYB state now.</param>
    public static ComplianceDecision Decide(
        CompliancePolicyEvaluator evaluator, string country, string? region, IReadOnlyList<string> gpuModels, KycState operatorKyc,
        HostLocation? known, bool trustDeclared)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        return evaluator.EvaluateHost(new HostFacts(country, region ?? "", gpuModels, operatorKyc, CheckOf(known, trustDeclared),
            known?.Address, known?.ResolvedCountry));
    }
}

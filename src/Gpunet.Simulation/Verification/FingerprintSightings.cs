namespace Gpunet.Simulation.Verification;

/// <summary>The cloned-machine rule as the simulation models it: one fingerprint live from two addresses at once is a
/// cloned machine. A stand-in for the coordinator's identity rule, which is built apart (issue 14, "Identity").</summary>
internal static class FingerprintSightings
{
    /// <summary>Whether any fingerprint among the live streams comes from two addresses.</summary>
    public static bool Cloned(IReadOnlyList<FingerprintSighting> live) =>
        live.GroupBy(s => s.Fingerprint, StringComparer.Ordinal).Any(g => g.Select(s => s.From).Distinct(StringComparer.Ordinal).Skip(1).Any());
}

using System.Net;

namespace Gpunet.Core.Compliance;

/// <summary>How a host's location is established: which address counts as evidence, and what it shows against the
/// country the host declares.</summary>
/// <remarks>Pure. The IP location lookup is passed in (a fixed database read by the host), so the rule is tested without
/// one.</remarks>
public static class LocationEvidence
{
    /// <summary>The address taken as evidence, and where it came from (<c>connection</c>, <c>declared</c>, <c>none</c>).</summary>
    /// <remarks>The evidence is the address the agent connects from. An address it merely declares is its own word: taken
    /// only on a network configured to trust it.</remarks>
    public static (IPAddress? Address, string Source) AddressOf(LocationSighting sighting)
    {
        ArgumentNullException.ThrowIfNull(sighting);
        if (sighting.Connection is not null && sighting.ConnectionIsPublic)
            return (sighting.Connection, "connection");
        return sighting.TrustDeclared && IPAddress.TryParse(sighting.DeclaredPublicIp, out var declared) ? (declared, "declared") : (null, "none");
    }

    /// <summary>Locates the host: takes its evidence, looks it up, and compares the result with its declaration.</summary>
    /// <param name="locate">Where the IP location database places an address (country or null, and a note for people);
    /// null when there is no database.</param>
    /// <param name="noDatabase">Why there is no database, when <paramref name="locate"/> is null.</param>
    public static LocationFinding Assess(LocationSighting sighting, Func<IPAddress, (string? Country, string Note)>? locate, string? noDatabase)
    {
        ArgumentNullException.ThrowIfNull(sighting);
        var (address, source) = AddressOf(sighting);
        var declared = sighting.DeclaredCountry;
        if (address is null)
        {
            var connection = sighting.Connection;
            var detail = sighting.TrustDeclared
                ? $"no public address; the declared {declared} is trusted by this network's configuration"
                : $"the agent connects from {(connection is null ? "an unknown address" : $"{connection}, not a public address")}"
                    + (sighting.DeclaredPublicIp.Length > 0 ? $"; the address it declares ({sighting.DeclaredPublicIp}) is its own word, not evidence" : "");
            return new("", source, null, sighting.TrustDeclared ? LocationCheck.Matches : LocationCheck.Unresolved, detail);
        }

        if (locate is null)
            return new(address.ToString(), source, null, LocationCheck.Unresolved, $"{address} cannot be located: {noDatabase}");

        var (resolved, note) = locate(address);
        var check = LocationRule.Compare(declared, resolved);
        return new(address.ToString(), source, resolved, check,
            resolved is null ? note : LocationRule.Describe(check, declared, resolved, address.ToString()));
    }

    /// <summary>Whether <paramref name="finding"/> tells nothing new about a host whose check in force is
    /// <paramref name="known"/>: same address, declaration, outcome and resolved country.</summary>
    public static bool Unchanged(HostLocation? known, LocationFinding finding, string declaredCountry)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return known is { } k && k.ClearanceCovers(finding.Address, declaredCountry) && k.Check == finding.Check
            && k.ResolvedCountry == finding.ResolvedCountry;
    }

    /// <summary>Whether an officer's clearance of <paramref name="known"/> carries over to <paramref name="finding"/>:
    /// it does while the address and the declared country stay the same.</summary>
    public static bool KeepsClearance(HostLocation? known, LocationFinding finding, string declaredCountry)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return known is { Cleared: true } k && k.ClearanceCovers(finding.Address, declaredCountry);
    }
}

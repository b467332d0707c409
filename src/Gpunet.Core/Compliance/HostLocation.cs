namespace Gpunet.Core.Compliance;

/// <summary>A host's location check as it stands: the address it was located by, the country it declared, where that
/// address is, how the two compare, and whether a compliance officer cleared a difference.</summary>
/// <param name="Address">The public address the host was located by; empty when it had none.</param>
/// <param name="DeclaredCountry">The country the host declared when it was checked.</param>
/// <param name="ResolvedCountry">The country the address is in; null when unknown.</param>
/// <param name="Check">How the address compared with the declaration.</param>
/// <param name="Cleared">Whether an officer cleared this check.</param>
public readonly record struct HostLocation(string Address, string DeclaredCountry, string? ResolvedCountry, LocationCheck Check, bool Cleared)
{
    /// <summary>The check in force: a mismatch or unresolved address an officer cleared reads as
    /// <see cref="LocationCheck.Cleared"/>.</summary>
    public LocationCheck Effective => Cleared && Check is LocationCheck.Mismatch or LocationCheck.Unresolved ? LocationCheck.Cleared : Check;

    /// <summary>Whether the address confirms the declared country, or an officer cleared it: what a residency choice
    /// needs.</summary>
    public bool Confirmed => Effective is LocationCheck.Matches or LocationCheck.Cleared;

    /// <summary>Whether an officer's clearance of this check still covers a check of <paramref name="address"/> against
    /// <paramref name="declaredCountry"/>: it holds while both stay the same.</summary>
    public bool ClearanceCovers(string address, string declaredCountry) => Address == address && DeclaredCountry == declaredCountry;
}

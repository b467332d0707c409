namespace Gpunet.Core.Compliance;

/// <summary>The geofence's location rule: how the country an IP location database places a host's address in
/// compares with the country the host declared.</summary>
public static class LocationRule
{
    /// <summary>Compares the declared country with the resolved one (ISO 3166-1 alpha-2, any case).</summary>
    /// <param name="resolvedCountry">The country the host's address resolves to; null or empty when it resolves to none.</param>
    /// <returns><see cref="LocationCheck.Matches"/>, <see cref="LocationCheck.Mismatch"/> or
    /// <see cref="LocationCheck.Unresolved"/>; never <see cref="LocationCheck.Cleared"/>, which only a person decides.</returns>
    public static LocationCheck Compare(string declaredCountry, string? resolvedCountry)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(declaredCountry);
        if (string.IsNullOrWhiteSpace(resolvedCountry))
            return LocationCheck.Unresolved;
        return string.Equals(declaredCountry, resolvedCountry, StringComparison.OrdinalIgnoreCase)
            ? LocationCheck.Matches
            : LocationCheck.Mismatch;
    }

    /// <summary>One line that explains a check to the host's operator and to compliance officers, e.g.
    /// "203.0.113.9 is in US, but the host declared DE".</summary>
    /// <param name="address">The host's public address as text.</param>
    public static string Describe(LocationCheck check, string declaredCountry, string? resolvedCountry, string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(declaredCountry);
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var declared = declaredCountry.ToUpperInvariant();
        var where = string.IsNullOrWhiteSpace(resolvedCountry)
            ? $"{address} resolves to no country"
            : $"{address} is in {resolvedCountry.ToUpperInvariant()}";
        return check switch
        {
            LocationCheck.Matches => $"{where}, as the host declared",
            LocationCheck.Mismatch => $"{where}, but the host declared {declared}",
            LocationCheck.Unresolved => $"{where}, so the declared {declared} cannot be confirmed",
            LocationCheck.Cleared => $"{where} and the host declared {declared}; a compliance officer cleared the difference",
            _ => throw new ArgumentOutOfRangeException(nameof(check), check, "not a location check"),
        };
    }
}

namespace Gpunet.Core.Marketplace;

/// <summary>What a host offers the marketplace beyond its capacity: where it is, its price and its reputation.</summary>
/// <param name="HostId">The host's id; the node's name in the matcher's cluster.</param>
/// <param name="Country">ISO 3166-1 alpha-2 code of the country the host is in.</param>
/// <param name="Region">Free text region (e.g. <c>eu-central</c>), for people.</param>
/// <param name="Latitude">Degrees, −90 to 90.</param>
/// <param name="Longitude">Degrees, −180 to 180.</param>
/// <param name="PriceUsdPerGpuHour">The host's price in USD per GPU-hour, 0 or more.</param>
/// <param name="Reputation">0 (worst) to 1 (best); the coordinator's is <c>HostReputation.Of</c> the host's track record
/// (0.5 with none), 1 when not given.</param>
public sealed record HostOffer(string HostId, string Country, string Region, double Latitude, double Longitude,
    decimal PriceUsdPerGpuHour, double Reputation = 1.0)
{
    /// <summary>Throws <see cref="ArgumentException"/> when a field is missing or out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(HostId))
            throw new ArgumentException("a host offer needs a host id");
        if (string.IsNullOrWhiteSpace(Country))
            throw new ArgumentException($"host {HostId}: a country is required");
        if (Latitude is < -90 or > 90 || double.IsNaN(Latitude) || Longitude is < -180 or > 180 || double.IsNaN(Longitude))
            throw new ArgumentException($"host {HostId}: latitude within ±90 and longitude within ±180");
        if (PriceUsdPerGpuHour < 0)
            throw new ArgumentException($"host {HostId}: the price must not be negative");
        if (Reputation is < 0 or > 1 || double.IsNaN(Reputation))
            throw new ArgumentException($"host {HostId}: reputation is between 0 and 1");
    }
}

namespace Gpunet.Cli.Devnet;

/// <summary>One simulated host of the devnet: where it is, what it has, what it asks.</summary>
/// <param name="PublicIp">A real public IPv4 address that the IP location database places in <paramref name="Country"/>,
/// so the geofence's location check sees what it would see for a real host there.</param>
public sealed record DevnetSite(
    string Country, string Region, double Latitude, double Longitude, string Gpus, double PriceUsdPerGpuHour, string PublicIp);

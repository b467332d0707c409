namespace Gpunet.Cli.Devnet;

/// <summary>One simulated host of the devnet: where it is, what it has, what it asks.</summary>
public sealed record DevnetSite(string Country, string Region, double Latitude, double Longitude, string Gpus, double PriceUsdPerGpuHour);

namespace Gpunet.Cli.Devnet;

/// <summary>The devnet's hosts: real cities, a realistic GPU mix and typical market prices (USD per GPU-hour).</summary>
public static class DevnetPlan
{
    // The first site is a whole 8×H100 machine so that any devnet of 1 host or more has one. Each address is a real
    // public one of a well-known network in that country (named after it), which the IP location database places in
    // the site's country (GeoIpLocatorTests checks every one), so the geofence's location check passes for them.
    private static readonly DevnetSite[] Sites =
    [
        new("DE", "Hesse", 50.11, 8.68, "H100-SXM5-80GB:8", 2.25, "141.2.0.1"), // Goethe University Frankfurt
        new("US", "Virginia", 38.95, -77.45, "H200-SXM-141GB:8", 3.10, "3.208.0.1"), // AWS us-east-1, Northern Virginia
        new("FI", "Uusimaa", 60.17, 24.94, "A100-SXM4-80GB:4", 1.35, "128.214.1.1"), // University of Helsinki
        new("JP", "Tokyo", 35.68, 139.69, "L40S-48GB:4", 0.95, "133.11.0.1"), // University of Tokyo
        new("US", "California", 37.39, -121.96, "RTX-4090-24GB:2", 0.42, "171.64.0.1"), // Stanford University
        new("FR", "Île-de-France", 48.86, 2.35, "H100-PCIe-80GB:2", 1.95, "193.51.24.1"), // RENATER, Paris
        new("SG", "Central", 1.29, 103.85, "A100-PCIe-40GB:1", 0.90, "137.132.0.1"), // National University of Singapore
        new("GB", "England", 51.51, -0.13, "RTX-4090-24GB:4", 0.39, "212.58.244.1"), // BBC, London
        new("CA", "Quebec", 45.50, -73.57, "H100-SXM5-80GB:8", 2.10, "132.206.0.1"), // McGill University, Montreal
        new("NL", "North Holland", 52.37, 4.90, "L4-24GB:4", 0.48, "193.0.6.139"), // RIPE NCC, Amsterdam
        new("KR", "Seoul", 37.57, 126.98, "RTX-A6000-48GB:2", 0.65, "147.46.0.1"), // Seoul National University
        new("BR", "São Paulo", -23.55, -46.63, "RTX-3090-24GB:2", 0.25, "143.107.0.1"), // University of São Paulo
        new("SE", "Stockholm", 59.33, 18.07, "A100-SXM4-80GB:8", 1.30, "130.237.0.1"), // KTH Royal Institute of Technology
        new("IN", "Maharashtra", 19.08, 72.88, "L40S-48GB:2", 0.90, "103.21.124.1"), // IIT Bombay, Mumbai
        new("AU", "New South Wales", -33.87, 151.21, "RTX-4090-24GB:1", 0.45, "129.78.0.1"), // University of Sydney
        new("PL", "Masovia", 52.23, 21.01, "RTX-5090-32GB:2", 0.70, "148.81.0.1"), // NASK, Warsaw
    ];

    // Checkers on three continents first, so that the default three are in different countries and far apart.
    private static readonly (string Country, double Latitude, double Longitude)[] CheckerSites =
    [
        ("DE", 50.11, 8.68), ("US", 38.95, -77.45), ("JP", 35.68, 139.69), ("BR", -23.55, -46.63), ("AU", -33.87, 151.21),
        ("IN", 19.08, 72.88), ("ZA", -26.20, 28.05), ("CA", 45.50, -73.57), ("SG", 1.29, 103.85),
    ];

    /// <summary>Where the i-th devnet checker says it is (wrapping past the table).</summary>
    public static (string Country, double Latitude, double Longitude) CheckerSite(int i)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(i);
        return CheckerSites[i % CheckerSites.Length];
    }

    /// <summary>How many distinct sites there are before <see cref="Site"/> wraps.</summary>
    public static int SiteCount => Sites.Length;

    /// <summary>A host in a blocked jurisdiction (Iran), for the devnet to run to show the geofence refusing it.
    /// Its address, of the Telecommunication Company of Iran, places in IR.</summary>
    public static DevnetSite BlockedSite { get; } = new("IR", "Tehran", 35.69, 51.39, "RTX-4090-24GB:2", 0.30, "2.176.0.1");

    /// <summary>The site of the i-th host; past the table it wraps (keeping the address: hosts may share one),
    /// nudging price so hosts differ.</summary>
    public static DevnetSite Site(int i)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(i);
        var site = Sites[i % Sites.Length];
        var round = i / Sites.Length;
        // About 3 % a round, at least a cent, so rounding to cents never gives two rounds the same price.
        var step = Math.Max(0.01, Math.Round(site.PriceUsdPerGpuHour * 0.03, 2));
        return round == 0 ? site : site with { PriceUsdPerGpuHour = Math.Round(site.PriceUsdPerGpuHour + step * round, 2) };
    }
}

namespace Gpunet.Cli.Devnet;

/// <summary>The devnet's hosts: real cities, a realistic GPU mix and typical market prices (USD per GPU-hour).</summary>
public static class DevnetPlan
{
    // The first site is a whole 8×H100 machine so that any devnet of 1 host or more has one.
    private static readonly DevnetSite[] Sites =
    [
        new("DE", "Hesse", 50.11, 8.68, "H100-SXM5-80GB:8", 2.25),
        new("US", "Virginia", 38.95, -77.45, "H200-SXM-141GB:8", 3.10),
        new("FI", "Uusimaa", 60.17, 24.94, "A100-SXM4-80GB:4", 1.35),
        new("JP", "Tokyo", 35.68, 139.69, "L40S-48GB:4", 0.95),
        new("US", "California", 37.39, -121.96, "RTX-4090-24GB:2", 0.42),
        new("FR", "Île-de-France", 48.86, 2.35, "H100-PCIe-80GB:2", 1.95),
        new("SG", "Central", 1.29, 103.85, "A100-PCIe-40GB:1", 0.90),
        new("GB", "England", 51.51, -0.13, "RTX-4090-24GB:4", 0.39),
        new("CA", "Quebec", 45.50, -73.57, "H100-SXM5-80GB:8", 2.10),
        new("NL", "North Holland", 52.37, 4.90, "L4-24GB:4", 0.48),
        new("KR", "Seoul", 37.57, 126.98, "RTX-A6000-48GB:2", 0.65),
        new("BR", "São Paulo", -23.55, -46.63, "RTX-3090-24GB:2", 0.25),
        new("SE", "Stockholm", 59.33, 18.07, "A100-SXM4-80GB:8", 1.30),
        new("IN", "Maharashtra", 19.08, 72.88, "L40S-48GB:2", 0.90),
        new("AU", "New South Wales", -33.87, 151.21, "RTX-4090-24GB:1", 0.45),
        new("PL", "Masovia", 52.23, 21.01, "RTX-5090-32GB:2", 0.70),
    ];

    /// <summary>The site of the i-th host; past the table it wraps, nudging price so hosts differ.</summary>
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

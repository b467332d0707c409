using System.Globalization;

namespace Gpunet.Core.Marketplace;

/// <summary>The texts of <see cref="NotMatched.Reason"/>, in the order's own words: <c>no 8 × H100 free in DE:
/// 3 hosts match but are busy</c>.</summary>
/// <remarks>Countries appear only when the order named them. Numbers are written the invariant way.</remarks>
internal static class MatchReasons
{
    public const string NoneReady = "no host is ready";

    /// <summary>The order's models and minimums leave no catalog model.</summary>
    public static string NoModel(OrderSpec o) => $"no GPU model meets {Models(o)}";

    public static string NoModelHost(OrderSpec o) => $"no host has {Shape(o)}{(o.Models.Count > 0 ? " GPUs" : "")}";

    public static string NoneThere(OrderSpec o) => $"no {Shape(o)} host{Where(o)}";

    public static string TooDear(OrderSpec o) =>
        Invariant($"no {Shape(o)} host{Where(o)} at or under {o.MaxPriceUsdPerGpuHour} USD/GPU-hour");

    public static string TooFar(OrderSpec o)
    {
        var (lat, lon) = o.LatencyFrom ?? default;
        return Invariant($"no {Shape(o)} host{Where(o)} within {o.MaxLatencyMs} ms of ({lat}, {lon})");
    }

    public static string AllExcluded(OrderSpec o, int excluded) =>
        $"no {Shape(o)} host{Where(o)} other than {(excluded == 1 ? "the excluded one" : Invariant($"the {excluded} excluded"))}";

    public static string Refused(string reason, int hosts) =>
        Invariant($"{reason} ({hosts} matching host{(hosts == 1 ? "" : "s")} refused)");

    public static string Busy(OrderSpec o, int hosts) =>
        Invariant($"no {Shape(o)} free{Where(o)}: {hosts} host{(hosts == 1 ? " matches but is" : "s match but are")} busy");

    public static string TooFew(OrderSpec o, int free) => Invariant($"only {free} of {o.Hosts} hosts free with {Shape(o)}{Where(o)}");

    // What one host must give: "8 × H100", "0.25 × A100", "H100", "any GPU".
    private static string Shape(OrderSpec o) => o.GpusPerHost switch
    {
        0 => "CPU-only",
        1 when o.GpuMilli < 1000 => Invariant($"{o.GpuMilli / 1000m} × {Models(o)}"),
        1 => Models(o),
        var n => Invariant($"{n} × {Models(o)}"),
    };

    // The models as the customer named them, with the minimums: "H100 or A100", "A100 (≥ 80 GB)", "GPU (compute ≥ 9.0)".
    private static string Models(OrderSpec o)
    {
        List<string> minimums = [];
        if (o.MinVramGb is { } vram)
            minimums.Add(Invariant($"≥ {vram} GB"));
        if (o.MinComputeCapability is { } compute)
            minimums.Add(Invariant($"compute ≥ {compute}"));
        var names = o.Models.Count > 0 ? string.Join(" or ", o.Models.Select(m => m.Trim())) : minimums.Count > 0 ? "GPU" : "any GPU";
        return minimums.Count > 0 ? $"{names} ({string.Join(", ", minimums)})" : names;
    }

    // " in DE, FR" or " outside RU" when the order named countries, then " in region Hesse" or " outside region
    // Bavaria" when it named regions; otherwise nothing.
    private static string Where(OrderSpec o) =>
        (o.AllowedCountries.Count > 0 ? $" in {Codes(o.AllowedCountries)}"
        : o.DeniedCountries.Count > 0 ? $" outside {Codes(o.DeniedCountries)}"
        : "")
        + (o.AllowedRegions.Count > 0 ? $" in region {string.Join(", ", o.AllowedRegions.Select(r => r.Trim()))}"
        : o.DeniedRegions.Count > 0 ? $" outside region {string.Join(", ", o.DeniedRegions.Select(r => r.Trim()))}"
        : "");

    private static string Codes(IReadOnlyList<string> codes) => string.Join(", ", codes.Select(c => c.Trim().ToUpperInvariant()));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

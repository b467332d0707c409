using System.Globalization;
using Gpunet.Core.Geography;
using Gpunet.Core.Gpus;

namespace Gpunet.Core.Marketplace;

/// <summary>Checks an order before anything is created; every problem is reported, each naming its field.</summary>
public static class OrderValidator
{
    /// <summary>Highest price accepted, USD per GPU-hour: far above any real market price, so a typo is caught.</summary>
    public const decimal MaxPriceUsdPerGpuHour = 1000m;

    /// <summary>Longest term accepted: three years.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(3 * 365);

    /// <summary>Most hosts one gang order may span.</summary>
    public const int MaxHosts = 1024;

    /// <summary>Most GPUs per host an order may ask for.</summary>
    public const int MaxGpusPerHost = 16;

    /// <summary>Largest minimum VRAM an order may ask for, GB.</summary>
    public const int MaxVramGb = 1024;

    /// <summary>Highest CUDA compute capability an order may ask for.</summary>
    public const int MaxComputeCapability = 20;

    /// <summary>Tightest latency bound is 1 ms; this is the loosest, ms.</summary>
    public const int MaxLatencyMs = 10_000;

    /// <summary>Most elements of a command (the program and its arguments).</summary>
    public const int MaxCommandArguments = 1024;

    /// <summary>Most characters of a command's elements together (16 KiB).</summary>
    public const int MaxCommandCharacters = 16 * 1024;

    /// <summary>Longest an order may wait in the queue for capacity.</summary>
    public static readonly TimeSpan MaxQueueTimeout = TimeSpan.FromDays(30);

    /// <summary>Checks <paramref name="order"/>. <paramref name="maxGpusOnAnyHost"/> is the most GPUs any registered host
    /// has (a request for more can never be placed); null skips that check.</summary>
    public static IReadOnlyList<OrderFieldError> Validate(OrderSpec order, int? maxGpusOnAnyHost = null)
    {
        ArgumentNullException.ThrowIfNull(order);
        var errors = new List<OrderFieldError>();
        void Error(string field, string message) => errors.Add(new OrderFieldError(field, message));

        foreach (var model in order.Models)
        {
            if (!GpuCatalog.IsKnown(model))
                Error("gpu", $"unknown GPU model '{Clip(model)}'; use a model such as H100-SXM5-80GB or a family such as H100");
        }

        if (order.MinVramGb is < 1 or > MaxVramGb)
            Error("minVramGb", "between 1 and 1024 GB");
        if (order.MinComputeCapability is < 1 or > MaxComputeCapability)
            Error("minComputeCapability", "between 1.0 and 20.0");
        if (order.GpusPerHost < 1)
            Error("count", "at least 1 GPU per host");
        else if (maxGpusOnAnyHost is { } max && order.GpusPerHost > max)
            Error("count", $"{order.GpusPerHost} GPUs per host, but no host has more than {max}");
        else if (order.GpusPerHost > MaxGpusPerHost)
            Error("count", $"at most {MaxGpusPerHost} GPUs per host");
        if (order.GpuMilli is < 1 or > 1000)
            Error("gpuMilli", "between 1 and 1000 thousandths of a GPU");
        else if (order.GpuMilli < 1000 && order.GpusPerHost > 1)
            Error("gpuMilli", "a fraction of a GPU is for one GPU per host; ask for whole GPUs to get several");
        if (order.CpuMilliPerHost < 0)
            Error("cpu", "may not be negative");
        if (order.MemoryMibPerHost < 0)
            Error("memoryMib", "may not be negative");
        if (order.Hosts is < 1 or > MaxHosts)
            Error("hosts", $"between 1 and {MaxHosts}");

        CheckCountries("countries", order.AllowedCountries, errors);
        CheckCountries("notCountries", order.DeniedCountries, errors);
        foreach (var c in order.AllowedCountries.Intersect(order.DeniedCountries, StringComparer.OrdinalIgnoreCase))
            Error("countries", $"'{c}' is both allowed and denied");
        CheckRegions("regions", order.AllowedRegions, errors);
        CheckRegions("notRegions", order.DeniedRegions, errors);
        foreach (var r in order.AllowedRegions.Intersect(order.DeniedRegions, StringComparer.OrdinalIgnoreCase))
            Error("regions", $"'{Clip(r)}' is both allowed and denied");
        if (order.MaxLatencyMs is { } latency)
        {
            if (latency is < 1 or > MaxLatencyMs)
                Error("maxLatencyMs", "between 1 and 10000 ms");
            if (order.LatencyFrom is null)
                Error("latencyFrom", "a point (latitude, longitude) to measure the latency from is required with maxLatencyMs");
        }

        if (order.LatencyFrom is { } p && (p.Latitude is < -90 or > 90 || p.Longitude is < -180 or > 180 || double.IsNaN(p.Latitude) || double.IsNaN(p.Longitude)))
            Error("latencyFrom", "latitude within ±90 and longitude within ±180");

        if (order.MaxPriceUsdPerGpuHour <= 0)
            Error("maxPrice", "a maximum price above 0 USD per GPU-hour is required");
        else if (order.MaxPriceUsdPerGpuHour > MaxPriceUsdPerGpuHour)
            Error("maxPrice", $"{order.MaxPriceUsdPerGpuHour.ToString(CultureInfo.InvariantCulture)} USD per GPU-hour is absurd; at most {MaxPriceUsdPerGpuHour.ToString(CultureInfo.InvariantCulture)}");

        if (order.Duration is { } d && (d <= TimeSpan.Zero || d > MaxDuration))
            Error("hours", $"a duration above 0 and at most {MaxDuration.TotalDays:0} days");
        if (order.Type == OrderType.Reserve && order.Duration is null)
            Error("hours", "a reserve order needs a term");
        if (order.QueueTimeout < TimeSpan.Zero || order.QueueTimeout > MaxQueueTimeout)
            Error("queueTimeoutMinutes", "between 0 and 30 days");

        if (order.Runtime is not ("process" or "docker"))
            Error("runtime", $"'{Clip(order.Runtime)}' is not a runtime; expected process or docker");
        if (order.Command.Count == 0 || string.IsNullOrWhiteSpace(order.Command[0]))
            Error("command", "a command to run is required");
        else if (order.Command.Count > MaxCommandArguments)
            Error("command", $"at most {MaxCommandArguments} elements (the program and its arguments)");
        if (order.Kind == WorkloadKind.Service && order.Port is null)
            Error("port", "a service must name the port it exposes");
        if (order.Port is < 1 or > 65535)
            Error("port", "between 1 and 65535");
        if (order.Kind == WorkloadKind.Session && order.Duration is { } s && s > TimeSpan.FromHours(24))
            Error("hours", "an interactive session lasts at most 24 hours");
        return errors;
    }

    private static void CheckCountries(string field, IReadOnlyList<string> codes, List<OrderFieldError> errors)
    {
        foreach (var code in codes)
        {
            if (!CountryCode.TryParse(code, out _, out var error))
                errors.Add(new OrderFieldError(field, error));
        }
    }

    private static void CheckRegions(string field, IReadOnlyList<string> regions, List<OrderFieldError> errors)
    {
        if (regions.Count > 64)
            errors.Add(new OrderFieldError(field, "at most 64 regions"));
        foreach (var region in regions)
        {
            if (string.IsNullOrWhiteSpace(region) || region.Length > 64)
                errors.Add(new OrderFieldError(field, $"'{Clip(region)}' is not a region name (1 to 64 characters)"));
        }
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..37] + "...";
}

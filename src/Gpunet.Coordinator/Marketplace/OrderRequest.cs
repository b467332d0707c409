using Gpunet.Core.Hosts;
using Gpunet.Core.Marketplace;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>An order as <c>POST /api/v1/orders</c> takes it. Prices are USD per GPU-hour; CPU in millicores and memory
/// in MiB, per host; enumerations in kebab case (<c>on-demand</c>, <c>on-host-loss</c>, <c>lowest-fee</c>).</summary>
public sealed record OrderRequest
{
    /// <summary>Acceptable GPU models or families (<c>H100</c>, <c>A100-SXM4-80GB</c>); empty: any.</summary>
    public IReadOnlyList<string> Gpu { get; init; } = [];
    /// <summary>GPUs per host.</summary>
    public int Count { get; init; } = 1;
    /// <summary>Share of each GPU in thousandths; under 1000 for a slice of one GPU.</summary>
    public int GpuMilli { get; init; } = 1000;
    public int? MinVramGb { get; init; }
    public decimal? MinComputeCapability { get; init; }
    /// <summary>CPU per host, in millicores.</summary>
    public int Cpu { get; init; }
    /// <summary>Memory per host, in MiB.</summary>
    public long MemoryMib { get; init; }
    /// <summary>Hosts placed together, all or nothing.</summary>
    public int Hosts { get; init; } = 1;
    /// <summary>Countries allowed (ISO 3166-1 alpha-2); empty: anywhere not denied.</summary>
    public IReadOnlyList<string> Countries { get; init; } = [];
    public IReadOnlyList<string> NotCountries { get; init; } = [];
    /// <summary>Regions allowed (a host's declared region, e.g. <c>Hesse</c>); empty: any not denied.</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];
    public IReadOnlyList<string> NotRegions { get; init; } = [];
    /// <summary>A data-residency zone of the compliance policy (e.g. <c>EU</c>): hosts outside it are never matched.</summary>
    public string? Residency { get; init; }
    /// <summary>Pins the order to one host.</summary>
    public string? Host { get; init; }
    public int? MaxLatencyMs { get; init; }
    public GeoPoint? LatencyFrom { get; init; }
    public string SlaTier { get; init; } = "standard";
    /// <summary>The most the customer pays, USD per GPU-hour.</summary>
    public decimal MaxPrice { get; init; }
    /// <summary><c>on-demand</c> or <c>reserve</c>.</summary>
    public string Type { get; init; } = "on-demand";
    /// <summary>The term (reserve) or the most it may run (on-demand; null: until cancelled or done).</summary>
    public double? Hours { get; init; }
    /// <summary><c>never</c> or <c>on-host-loss</c>.</summary>
    public string Restart { get; init; } = "never";
    /// <summary><c>job</c>, <c>service</c> or <c>session</c>.</summary>
    public string Kind { get; init; } = "job";
    /// <summary><c>process</c> or <c>docker</c>.</summary>
    public string Runtime { get; init; } = "process";
    public IReadOnlyList<string> Command { get; init; } = [];
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
    public int? Port { get; init; }
    /// <summary><c>balanced</c>, <c>lowest-fee</c> or <c>best-experience</c>.</summary>
    public string Ranking { get; init; } = "balanced";
    /// <summary>How long it may wait for capacity, in minutes (default 60).</summary>
    public double QueueTimeoutMinutes { get; init; } = 60;

    /// <summary>The order in the core's terms, and every problem with it (each naming its field). A JSON <c>null</c>
    /// where a value is expected (a field, an element of a list, an environment value) is a problem named by its path
    /// (<c>gpu[1]</c>, <c>environment.FOO</c>), never an exception.</summary>
    public (OrderSpec Spec, List<OrderFieldError> Errors) ToSpec(int? maxGpusOnAnyHost)
    {
        var errors = new List<OrderFieldError>();
        var gpu = Present("gpu", Gpu, errors);
        var countries = Present("countries", Countries, errors);
        var notCountries = Present("notCountries", NotCountries, errors);
        var regions = Present("regions", Regions, errors);
        var notRegions = Present("notRegions", NotRegions, errors);
        var command = Present("command", Command, errors);
        var slaTier = Present("slaTier", SlaTier, "standard", errors);
        var runtime = Present("runtime", Runtime, "process", errors);
        var type = Parse("type", Present("type", Type, "on-demand", errors), errors, ("on-demand", OrderType.OnDemand), ("reserve", OrderType.Reserve));
        var restart = Parse("restart", Present("restart", Restart, "never", errors), errors,
            ("never", RestartPolicy.Never), ("on-host-loss", RestartPolicy.OnHostLoss));
        var kind = Parse("kind", Present("kind", Kind, "job", errors), errors,
            ("job", WorkloadKind.Job), ("service", WorkloadKind.Service), ("session", WorkloadKind.Session));
        var ranking = Parse("ranking", Present("ranking", Ranking, "balanced", errors), errors,
            ("balanced", Core.Marketplace.Ranking.Balanced), ("lowest-fee", Core.Marketplace.Ranking.LowestFee), ("best-experience", Core.Marketplace.Ranking.BestExperience));
        if (Host is not null && !HostId.TryParse(Host, out _))
            errors.Add(new OrderFieldError("host", $"'{Clip(Host)}' is not a host id (host- followed by 12 hex digits)"));
        if (Hosts > 1 && Host is not null)
            errors.Add(new OrderFieldError("host", "an order pinned to one host cannot span several"));
        if (double.IsNaN(QueueTimeoutMinutes) || QueueTimeoutMinutes < 0 || QueueTimeoutMinutes > 30 * 24 * 60)
            errors.Add(new OrderFieldError("queueTimeoutMinutes", "between 0 and 43200 minutes (30 days)"));
        if (Hours is { } h && (double.IsNaN(h) || h <= 0 || h > 3 * 365 * 24))
            errors.Add(new OrderFieldError("hours", "a duration above 0 and at most 3 years"));
        if (slaTier is not ("standard" or "premium"))
            errors.Add(new OrderFieldError("slaTier", $"'{Clip(slaTier)}' is not an SLA tier; expected standard or premium"));
        if (Environment is { } env)
        {
            if (env.Count > 64)
                errors.Add(new OrderFieldError("environment", "at most 64 variables"));
            foreach (var (k, v) in env)
            {
                if (k.Length is 0 or > 128 || !k.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(k[0]))
                    errors.Add(new OrderFieldError("environment", $"'{Clip(k)}' is not a variable name (letters, digits, _)"));
                else if (v is null)
                    errors.Add(new OrderFieldError($"environment.{k}", "a value is required (a string; \"\" for empty)"));
                else if (v.Length > 4096)
                    errors.Add(new OrderFieldError($"environment.{k}", "at most 4096 characters"));
            }
        }

        if (command.Sum(a => (long)a.Length) > 16 * 1024)
            errors.Add(new OrderFieldError("command", "at most 16 KiB of arguments"));

        var spec = new OrderSpec
        {
            Models = gpu,
            MinVramGb = MinVramGb,
            MinComputeCapability = MinComputeCapability,
            GpusPerHost = Count,
            GpuMilli = GpuMilli,
            CpuMilliPerHost = Cpu,
            MemoryMibPerHost = MemoryMib,
            Hosts = Hosts,
            AllowedCountries = countries,
            DeniedCountries = notCountries,
            AllowedRegions = regions,
            DeniedRegions = notRegions,
            MaxLatencyMs = MaxLatencyMs,
            LatencyFrom = LatencyFrom is null ? null : (LatencyFrom.Latitude, LatencyFrom.Longitude),
            SlaTier = slaTier,
            MaxPriceUsdPerGpuHour = MaxPrice,
            Type = type,
            Duration = Hours is { } hours && hours > 0 && hours <= 3 * 365 * 24 ? TimeSpan.FromHours(hours) : null,
            Restart = restart,
            Kind = kind,
            Runtime = runtime,
            Command = command,
            Port = Port,
            Ranking = ranking,
            QueueTimeout = QueueTimeoutMinutes is >= 0 and <= 30 * 24 * 60 ? TimeSpan.FromMinutes(QueueTimeoutMinutes) : TimeSpan.Zero,
        };
        if (MemoryMib > int.MaxValue)
            errors.Add(new OrderFieldError("memoryMib", "at most 2 TiB per host"));
        errors.AddRange(OrderValidator.Validate(spec, maxGpusOnAnyHost)
            .Where(e => !(e.Field == "hours" && Hours is not null && errors.Any(x => x.Field == "hours"))
                // A command whose first element was null is already named (command[0]); "required" would say it twice.
                && !(e.Field == "command" && errors.Any(x => x.Field.StartsWith("command", StringComparison.Ordinal)))));
        return (spec, errors);
    }

    // JSON null where the contract has a value: System.Text.Json sets null even on a non-nullable property, so each is
    // checked here (and replaced by the default, so the other checks run on something).
    private static string Present(string field, string? value, string fallback, List<OrderFieldError> errors)
    {
        if (value is not null)
            return value;
        errors.Add(new OrderFieldError(field, $"may not be null (leave it out for {fallback})"));
        return fallback;
    }

    private static IReadOnlyList<string> Present(string field, IReadOnlyList<string?>? values, List<OrderFieldError> errors)
    {
        if (values is null)
        {
            errors.Add(new OrderFieldError(field, "may not be null (a list; [] or leave it out for none)"));
            return [];
        }

        var kept = new List<string>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is { } v)
                kept.Add(v);
            else
                errors.Add(new OrderFieldError($"{field}[{i}]", "may not be null (a string)"));
        }

        return kept.Count == values.Count ? (IReadOnlyList<string>)values! : kept;
    }

    private static T Parse<T>(string field, string value, List<OrderFieldError> errors, params (string Name, T Value)[] options)
        where T : struct
    {
        foreach (var (name, v) in options)
        {
            if (string.Equals(name, value, StringComparison.OrdinalIgnoreCase))
                return v;
        }

        errors.Add(new OrderFieldError(field, $"'{Clip(value)}' is not one of {string.Join(", ", options.Select(o => o.Name))}"));
        return options[0].Value;
    }

    // Never splits a surrogate pair.
    private static string Clip(string s) => s.Length <= 40 ? s : s[..(char.IsHighSurrogate(s[36]) ? 36 : 37)] + "...";
}

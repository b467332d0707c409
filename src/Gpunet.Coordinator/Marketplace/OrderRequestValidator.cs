using Gpunet.Coordinator.Sla;
using Gpunet.Core.Hosts;
using Gpunet.Core.Marketplace;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>Reads an <see cref="OrderRequest"/> (the API's shape, in <c>Gpunet.Contracts</c>) into the core's
/// <see cref="OrderSpec"/>, naming every problem by its JSON field.</summary>
internal static class OrderRequestValidator
{
    extension(OrderRequest request)
    {
        /// <summary>The order in the core's terms, and every problem with it (each naming its field). A JSON <c>null</c>
        /// where a value is expected (a field, an element of a list, an environment value) is a problem named by its path
        /// (<c>gpu[1]</c>, <c>environment.FOO</c>), never an exception. <paramref name="tiers"/> are the SLA tiers
        /// offered; null for an order already stored (its tier was checked when it was placed).</summary>
        public (OrderSpec Spec, List<OrderFieldError> Errors) ToSpec(int? maxGpusOnAnyHost, SlaTiers? tiers)
        {
            var errors = new List<OrderFieldError>();
            var gpu = Present("gpu", request.Gpu, errors);
            var countries = Present("countries", request.Countries, errors);
            var notCountries = Present("notCountries", request.NotCountries, errors);
            var regions = Present("regions", request.Regions, errors);
            var notRegions = Present("notRegions", request.NotRegions, errors);
            var command = Present("command", request.Command, errors);
            var slaTier = Present("slaTier", request.SlaTier, "standard", errors);
            var runtime = Present("runtime", request.Runtime, "process", errors);
            var type = Parse("type", Present("type", request.Type, "on-demand", errors), errors, ("on-demand", OrderType.OnDemand), ("reserve", OrderType.Reserve));
            var restart = Parse("restart", Present("restart", request.Restart, "never", errors), errors,
                ("never", RestartPolicy.Never), ("on-host-loss", RestartPolicy.OnHostLoss));
            var kind = Parse("kind", Present("kind", request.Kind, "job", errors), errors,
                ("job", WorkloadKind.Job), ("service", WorkloadKind.Service), ("session", WorkloadKind.Session));
            var ranking = Parse("ranking", Present("ranking", request.Ranking, "balanced", errors), errors,
                ("balanced", Core.Marketplace.Ranking.Balanced), ("lowest-fee", Core.Marketplace.Ranking.LowestFee), ("best-experience", Core.Marketplace.Ranking.BestExperience));
            if (request.Host is not null && !HostId.TryParse(request.Host, out _))
                errors.Add(new OrderFieldError("host", $"'{Clip(request.Host)}' is not a host id (host- followed by 12 hex digits)"));
            if (request.Hosts > 1 && request.Host is not null)
                errors.Add(new OrderFieldError("host", "an order pinned to one host cannot span several"));
            if (double.IsNaN(request.QueueTimeoutMinutes) || request.QueueTimeoutMinutes < 0 || request.QueueTimeoutMinutes > 30 * 24 * 60)
                errors.Add(new OrderFieldError("queueTimeoutMinutes", "between 0 and 43200 minutes (30 days)"));
            if (request.Hours is { } h && (double.IsNaN(h) || h <= 0 || h > 3 * 365 * 24))
                errors.Add(new OrderFieldError("hours", "a duration above 0 and at most 3 years"));
            if (tiers is not null && tiers.Find(slaTier) is null)
                errors.Add(new OrderFieldError("slaTier", $"'{Clip(slaTier)}' is not an SLA tier; expected one of {tiers.Names} (gpunet sla tiers)"));
            if (request.Environment is { } env)
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

            if (command.Sum(a => (long)a.Length) > OrderValidator.MaxCommandCharacters)
                errors.Add(new OrderFieldError("command", "at most 16 KiB of arguments"));

            var spec = new OrderSpec
            {
                Models = gpu,
                MinVramGb = request.MinVramGb,
                MinComputeCapability = request.MinComputeCapability,
                GpusPerHost = request.Count,
                GpuMilli = request.GpuMilli,
                CpuMilliPerHost = request.Cpu,
                MemoryMibPerHost = request.MemoryMib,
                Hosts = request.Hosts,
                AllowedCountries = countries,
                DeniedCountries = notCountries,
                AllowedRegions = regions,
                DeniedRegions = notRegions,
                MaxLatencyMs = request.MaxLatencyMs,
                LatencyFrom = request.LatencyFrom is null ? null : (request.LatencyFrom.Latitude, request.LatencyFrom.Longitude),
                SlaTier = slaTier,
                MaxPriceUsdPerGpuHour = request.MaxPrice,
                Type = type,
                Duration = request.Hours is { } hours && hours > 0 && hours <= 3 * 365 * 24 ? TimeSpan.FromHours(hours) : null,
                Restart = restart,
                Kind = kind,
                Runtime = runtime,
                Command = command,
                Port = request.Port,
                Ranking = ranking,
                QueueTimeout = request.QueueTimeoutMinutes is >= 0 and <= 30 * 24 * 60 ? TimeSpan.FromMinutes(request.QueueTimeoutMinutes) : TimeSpan.Zero,
            };
            if (request.MemoryMib > int.MaxValue)
                errors.Add(new OrderFieldError("memoryMib", "at most 2 TiB per host"));
            errors.AddRange(OrderValidator.Validate(spec, maxGpusOnAnyHost)
                .Where(e => !(e.Field == "hours" && request.Hours is not null && errors.Any(x => x.Field == "hours"))
                    // A command whose first element was null is already named (command[0]); "required" would say it twice.
                    && !(e.Field == "command" && errors.Any(x => x.Field.StartsWith("command", StringComparison.Ordinal)))));
            return (spec, errors);
        }

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

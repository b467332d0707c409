using System.Text.Json;
using System.Text.RegularExpressions;
using Gpunet.IntegrationTests.Api;

namespace Gpunet.IntegrationTests.Observability;

/// <summary>The Grafana dashboard shipped in <c>deploy/grafana/gpunet.json</c>, as the tests read it.</summary>
internal static partial class Dashboard
{
    public static JsonElement Read() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(OpenApiClientFactAttribute.RepositoryRoot, "deploy", "grafana", "gpunet.json"))).RootElement;

    /// <summary>Every panel, rows' nested ones included.</summary>
    public static IEnumerable<JsonElement> Panels(JsonElement dashboard) =>
        dashboard.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.TryGetProperty("panels", out var nested) ? nested.EnumerateArray().Prepend(p) : [p]);

    /// <summary>The coordinator metrics the panels query (a histogram by its name, not its <c>_bucket</c> series).</summary>
    public static HashSet<string> Metrics(JsonElement dashboard) =>
    [
        .. Panels(dashboard).Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .SelectMany(t => MetricName().Matches(t.GetProperty("expr").GetString()!).Select(m => m.Groups[1].Value)),
    ];

    [GeneratedRegex(@"\b(gpunet_[a-z_]+?)(?:_bucket)?\b")]
    private static partial Regex MetricName();
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Gpunet.IntegrationTests.Support;

/// <summary>Checks JSON the coordinator answered against the schemas its own OpenAPI 3.1 document declares (JSON Schema
/// 2020-12, evaluated by JsonSchema.Net).</summary>
internal sealed class OpenApiSchemas(JsonElement document)
{
    /// <summary>Fetches the coordinator's document.</summary>
    public static async Task<OpenApiSchemas> FetchAsync(TestCoordinator c) =>
        new(JsonDocument.Parse(await c.Anonymous.GetStringAsync("/openapi/v1.json")).RootElement.Clone());

    public JsonElement Document { get; } = document;

    /// <summary>Every way <paramref name="instance"/> breaks component schema <paramref name="name"/> (or an array of it);
    /// empty when it conforms.</summary>
    public IReadOnlyList<string> Problems(string name, JsonElement instance, bool array = false)
    {
        // The components become $defs of one schema, so their references resolve inside it.
        var defs = JsonNode.Parse(Document.GetProperty("components").GetProperty("schemas").GetRawText()
            .Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal))!;
        var reference = new JsonObject { ["$ref"] = $"#/$defs/{name}" };
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = defs,
        };
        if (array)
        {
            root["type"] = "array";
            root["items"] = reference;
        }
        else
        {
            root["$ref"] = reference["$ref"]!.GetValue<string>();
        }

        var schema = JsonSchema.FromText(root.ToJsonString(), baseUri: new Uri($"https://gpunet.test/openapi/{Guid.NewGuid():N}"));
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
            return [];
        return [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))];
    }
}

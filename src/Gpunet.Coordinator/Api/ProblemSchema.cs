using Microsoft.OpenApi;

namespace Gpunet.Coordinator;

/// <summary>The document's error body (RFC 9457 problem details) as the coordinator writes it: the lengths every problem
/// is held to, the field at fault, and the listed problems with the count of the rest (<see cref="Problems"/>).</summary>
internal static class ProblemSchema
{
    public static void Describe(OpenApiSchema schema)
    {
        schema.Description = "An error (RFC 9457 problem details). `field` names the request field at fault on a 400; `errors` lists every field's problem where there are several.";
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        // The lengths Edge.StatedLengths holds every problem to.
        foreach (var (name, most) in new[] { ("type", TextLimits.Url), ("title", TextLimits.Name), ("detail", TextLimits.Reason), ("instance", TextLimits.Url) })
        {
            if (schema.Properties.TryGetValue(name, out var text) && text is OpenApiSchema s)
                s.MaxLength ??= most;
        }

        schema.Properties["field"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            MaxLength = TextLimits.Name,
            Description = "The request field (or route or query parameter) at fault, in the request's own spelling.",
        };
        schema.Properties["unlisted"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Minimum = "1",
            Description = $"How many problems beyond the {ShortLists.Problems} that errors lists; absent when it lists them all.",
        };
        schema.Properties["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            MaxItems = ShortLists.Problems,
            Description = $"The problems found, where a request has several: the first {ShortLists.Problems}.",
            Items = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string>(["field", "message"], StringComparer.Ordinal),
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["field"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = TextLimits.Name },
                    ["message"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = TextLimits.Reason },
                },
            },
        };
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Gpunet.Coordinator;

/// <summary>What an endpoint declares about its route, query and header parameters (<see cref="ParameterContract"/>,
/// <see cref="ListLimit"/>), and how the OpenAPI document states it.</summary>
internal static class OpenApiParameters
{
    /// <summary>Declares what a route or query parameter accepts (see <see cref="ParameterContract"/>).</summary>
    public static RouteHandlerBuilder WithParameter(this RouteHandlerBuilder builder, string name, string? pattern = null,
        long? minimum = null, long? maximum = null, IReadOnlyList<string>? values = null) =>
        builder.WithMetadata(new ParameterContract(name, pattern, minimum, maximum, values));

    /// <summary>Declares a request header the operation requires (a parameter the handler reads itself).</summary>
    public static RouteHandlerBuilder WithRequiredHeader(this RouteHandlerBuilder builder, string name, string description) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name, In = ParameterLocation.Header, Required = true, Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            return Task.CompletedTask;
        });

    /// <summary>Declares that a query parameter takes one of <typeparamref name="TEnum"/>'s names, in any case.</summary>
    public static RouteHandlerBuilder WithParameterNames<TEnum>(this RouteHandlerBuilder builder, string name)
        where TEnum : struct, Enum =>
        builder.WithMetadata(new ParameterContract(name, Values: Enum.GetNames<TEnum>()));

    /// <summary>States the endpoint's parameter contracts and list limit on its operation.</summary>
    public static void Describe(OpenApiOperation operation, IEnumerable<object> metadata)
    {
        foreach (var contract in metadata.OfType<ParameterContract>())
            Constrain(operation, contract);
        if (metadata.OfType<ListLimit>().FirstOrDefault() is { } list)
            Bound(operation, list);
    }

    private static void Constrain(OpenApiOperation operation, ParameterContract contract)
    {
        var parameter = operation.Parameters?.FirstOrDefault(p => string.Equals(p.Name, contract.Name, StringComparison.OrdinalIgnoreCase));
        if (parameter?.Schema is not OpenApiSchema schema)
            return;
        if (contract.Pattern is not null)
            schema.Pattern = contract.Pattern;
        if (contract.Minimum is { } min)
            schema.Minimum = min.ToString(CultureInfo.InvariantCulture);
        if (contract.Maximum is { } max)
            schema.Maximum = max.ToString(CultureInfo.InvariantCulture);
        if (contract.Values is { } values)
            schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
    }

    // A list's limit has its default, and its answer at most the limit's maximum of items.
    private static void Bound(OpenApiOperation operation, ListLimit list)
    {
        if (operation.Parameters?.FirstOrDefault(p => p.Name == "limit")?.Schema is OpenApiSchema limit)
            limit.Default = JsonValue.Create(list.Default);
        foreach (var media in operation.Responses?.GetValueOrDefault("200")?.Content?.Values.AsEnumerable() ?? [])
        {
            if (media.Schema is OpenApiSchema { Type: JsonSchemaType.Array } answer)
                answer.MaxItems = list.Maximum;
        }
    }
}

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>JSON settings for log streams: the API's own (camelCase).</summary>
internal static class OrderJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver().WithAddedModifier(Edge.StatedLengths.Apply),
    };
}

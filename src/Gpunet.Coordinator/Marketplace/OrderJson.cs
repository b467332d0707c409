using System.Text.Json;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>JSON settings for log streams: the API's own (camelCase).</summary>
internal static class OrderJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

namespace Gpunet.Core.Query;

/// <summary>Names, aliases and kinds of the fields a GPU query can test.</summary>
internal static class GpuQueryFields
{
    /// <summary>Canonical names in the order error messages list them.</summary>
    public const string NameList = "model, vram, count, country, region, price, cc, host";

    private static readonly Dictionary<string, GpuQueryField> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["model"] = GpuQueryField.Model,
        ["gpu"] = GpuQueryField.Model,
        ["vram"] = GpuQueryField.Vram,
        ["count"] = GpuQueryField.Count,
        ["num_gpus"] = GpuQueryField.Count,
        ["country"] = GpuQueryField.Country,
        ["region"] = GpuQueryField.Region,
        ["price"] = GpuQueryField.Price,
        ["dph"] = GpuQueryField.Price,
        ["cc"] = GpuQueryField.ComputeCapability,
        ["compute_cap"] = GpuQueryField.ComputeCapability,
        ["host"] = GpuQueryField.Host,
    };

    public static bool TryGet(string name, out GpuQueryField field) => ByName.TryGetValue(name, out field);

    public static string Name(GpuQueryField field) => field switch
    {
        GpuQueryField.Model => "model",
        GpuQueryField.Vram => "vram",
        GpuQueryField.Count => "count",
        GpuQueryField.Country => "country",
        GpuQueryField.Region => "region",
        GpuQueryField.Price => "price",
        GpuQueryField.ComputeCapability => "cc",
        GpuQueryField.Host => "host",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    public static bool IsNumeric(GpuQueryField field) =>
        field is GpuQueryField.Vram or GpuQueryField.Count or GpuQueryField.Price or GpuQueryField.ComputeCapability;

    public static string Symbol(GpuQueryOperator op) => op switch
    {
        GpuQueryOperator.Equal => "=",
        GpuQueryOperator.NotEqual => "!=",
        GpuQueryOperator.Less => "<",
        GpuQueryOperator.LessOrEqual => "<=",
        GpuQueryOperator.Greater => ">",
        GpuQueryOperator.GreaterOrEqual => ">=",
        GpuQueryOperator.In => "in",
        GpuQueryOperator.NotIn => "notin",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static bool TakesList(GpuQueryOperator op) => op is GpuQueryOperator.In or GpuQueryOperator.NotIn;
}

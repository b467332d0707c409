using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Gpunet.Core.Gpus;

namespace Gpunet.Core.Tests.Query;

/// <summary>FsCheck generators for offers and for query texts written in every accepted style.</summary>
internal static class GpuQueryGen
{
    private static readonly (string Model, string Family, int Vram, decimal Cc)[] Models =
    [
        ("H100-SXM5-80GB", "H100", 80, 9.0m),
        ("H100-PCIE-80GB", "H100", 80, 9.0m),
        ("A100-SXM4-40GB", "A100", 40, 8.0m),
        ("RTX-4090", "RTX4090", 24, 8.9m),
        ("L40S", "L40S", 48, 8.9m),
    ];

    private static readonly string[] Countries = ["DE", "FR", "NL", "US", "JP"];
    private static readonly string[] Regions = ["Berlin", "North Holland", "Texas", "Ile-de-France", "and", "O'Brien"];
    private static readonly string[] Hosts = ["host-0000000000a1", "host-0000000000b2", "host-0000000000c3"];

    /// <summary>A price in cents, 0.00 to 10.00.</summary>
    public static Gen<decimal> Price => Gen.Choose(0, 1000).Select(c => c / 100m);

    public static Gen<GpuOffer> Offer =>
        from model in Gen.Elements(Models)
        from vram in Gen.Frequency((3, Gen.Constant(model.Vram)), (1, Gen.Choose(8, 192)))
        from count in Gen.Choose(0, 16)
        from country in Gen.Elements(Countries)
        from region in Gen.Elements(Regions)
        from host in Gen.Elements(Hosts)
        from price in Price
        select new GpuOffer(host, model.Model, model.Family, vram, model.Cc, count, country, region, price);

    public static Gen<GpuOffer[]> Offers => Gen.ArrayOf(Offer);

    /// <summary>A query text: 0-4 clauses with random aliases, casing, spacing, quoting and joiners.</summary>
    public static Gen<string> QueryText =>
        from clauses in Gen.ListOf(Clause).Resize(4)
        from joiners in Gen.ArrayOf(Gen.Elements(" ", "  ", " and ", " AND ", " && ", "&&"), clauses.Count)
        select string.Concat(clauses.Select((c, i) => i == 0 ? c : joiners[i] + c));

    private static Gen<string> Clause => Gen.OneOf(NumericClause, TextClause);

    private static Gen<string> NumericClause =>
        from spec in Gen.Elements(
            ("vram", (Gen<string>)Gen.Choose(8, 192).Select(Invariant)),
            ("num_gpus", Gen.Choose(0, 16).Select(Invariant)),
            ("count", Gen.Choose(0, 16).Select(Invariant)),
            ("price", Price.Select(p => p.ToString(CultureInfo.InvariantCulture))),
            ("dph", Gen.Choose(0, 100).Select(p => Invariant(p / 10m) + "0")),
            ("cc", Gen.Elements("8.0", "8.9", "9", "9.0", "7.5")),
            ("compute_cap", Gen.Elements("8.0", "8.9", "9.0")))
        from name in Cased(spec.Item1)
        from op in Gen.Elements("=", "==", "!=", "<", "<=", ">", ">=", "in", "notin", "not in")
        from value in IsList(op) ? List(spec.Item2) : spec.Item2
        from gap1 in Space
        from gap2 in Space
        select Join(name, op, value, gap1, gap2);

    private static Gen<string> TextClause =>
        from spec in Gen.Elements(
            ("model", Gen.Elements("H100", "h100", "A100-SXM4-40GB", "'RTX-4090'", "\"l40s\"", "B200")),
            ("gpu", Gen.Elements("H100", "rtx4090")),
            ("country", Gen.Elements("DE", "fr", "'nl'", "\"US\"", "jp", "GB")),
            ("region", Gen.Elements("Berlin", "'North Holland'", "\"north holland\"", "texas", "'and'", "\"O'Brien\"")),
            ("host", Gen.Elements("host-0000000000a1", "'host-0000000000b2'", "HOST-0000000000C3")))
        from name in Cased(spec.Item1)
        from op in Gen.Elements("=", "==", "!=", "in", "notin", "NOT IN")
        from value in IsList(op) ? List(spec.Item2) : spec.Item2
        from gap1 in Space
        from gap2 in Space
        select Join(name, op, value, gap1, gap2);

    private static Gen<string> Space => Gen.Elements("", "", " ", "  ");

    private static bool IsList(string op) => op.EndsWith("in", StringComparison.OrdinalIgnoreCase)
        || op.EndsWith("IN", StringComparison.Ordinal);

    private static string Join(string name, string op, string value, string gap1, string gap2) =>
        IsList(op) ? $"{name} {op}{gap2}{value}" : $"{name}{gap1}{op}{gap2}{value}";

    private static Gen<string> List(Gen<string> item) =>
        from items in Gen.NonEmptyListOf(item).Resize(3)
        from sep in Gen.Elements(",", ", ", " , ")
        select "[" + string.Join(sep, items) + "]";

    private static Gen<string> Cased(string name) =>
        Gen.Elements(name, name.ToUpperInvariant(), char.ToUpperInvariant(name[0]) + name[1..]);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}

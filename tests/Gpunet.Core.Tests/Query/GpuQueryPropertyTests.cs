using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Gpus;
using Gpunet.Core.Query;

namespace Gpunet.Core.Tests.Query;

public class GpuQueryPropertyTests
{
    private static readonly string[] ComparisonOps = ["=", "!=", "<", "<=", ">", ">="];

    private static bool Compare(decimal actual, string op, decimal threshold) => op switch
    {
        "=" => actual == threshold,
        "!=" => actual != threshold,
        "<" => actual < threshold,
        "<=" => actual <= threshold,
        ">" => actual > threshold,
        _ => actual >= threshold,
    };

    private static bool SameSelection(GpuQuery query, GpuOffer[] offers, Func<GpuOffer, bool> expected) =>
        offers.All(o => query.Matches(o) == expected(o));

    [Property]
    public Property PriceAtMost_RandomOffersAndThreshold_MatchesExactlyThoseAtOrBelow() =>
        Prop.ForAll(GpuQueryGen.Offers.ToArbitrary(), GpuQueryGen.Price.ToArbitrary(), (offers, x) =>
        {
            var query = GpuQuery.Parse("price<=" + x.ToString(CultureInfo.InvariantCulture));
            return SameSelection(query, offers, o => o.PriceUsdPerGpuHour <= x);
        });

    [Property]
    public Property PriceThreshold_TakenFromAnOffer_MatchesExactlyThoseAtOrBelow() =>
        Prop.ForAll(GpuQueryGen.Offers.Where(o => o.Length > 0).ToArbitrary(), offers =>
        {
            var x = offers[0].PriceUsdPerGpuHour;
            var query = GpuQuery.Parse("dph <= " + x.ToString(CultureInfo.InvariantCulture));
            return SameSelection(query, offers, o => o.PriceUsdPerGpuHour <= x);
        });

    [Property]
    public Property NumericComparison_RandomFieldOpAndThreshold_MatchesExactlyTheComparedOffers()
    {
        var cases =
            from field in Gen.Elements("price", "vram", "count", "cc")
            from op in Gen.Elements(ComparisonOps)
            from threshold in field switch
            {
                "price" => GpuQueryGen.Price,
                "vram" => Gen.Choose(0, 200).Select(v => (decimal)v),
                "count" => Gen.Choose(0, 17).Select(v => (decimal)v),
                _ => Gen.Elements(7.5m, 8.0m, 8.9m, 9.0m, 10m),
            }
            select (field, op, threshold);

        return Prop.ForAll(GpuQueryGen.Offers.ToArbitrary(), cases.ToArbitrary(), (offers, c) =>
        {
            var query = GpuQuery.Parse($"{c.field} {c.op} {c.threshold.ToString(CultureInfo.InvariantCulture)}");
            Func<GpuOffer, decimal> actual = c.field switch
            {
                "price" => o => o.PriceUsdPerGpuHour,
                "vram" => o => o.VramGb,
                "count" => o => o.Count,
                _ => o => o.ComputeCapability,
            };
            return SameSelection(query, offers, o => Compare(actual(o), c.op, c.threshold));
        });
    }

    [Property]
    public Property ToString_ReParsed_MatchesTheSameOffersAndIsStable() =>
        Prop.ForAll(GpuQueryGen.QueryText.ToArbitrary(), GpuQueryGen.Offers.ToArbitrary(), (text, offers) =>
        {
            var first = GpuQuery.Parse(text);
            var normalized = first.ToString();
            var second = GpuQuery.Parse(normalized);
            return offers.All(o => first.Matches(o) == second.Matches(o))
                && second.ToString() == normalized
                && second.Clauses.Count == first.Clauses.Count;
        });

    [Property]
    public Property Clauses_RandomQuery_AllMustHold() =>
        Prop.ForAll(GpuQueryGen.QueryText.ToArbitrary(), GpuQueryGen.Offers.ToArbitrary(), (text, offers) =>
        {
            var query = GpuQuery.Parse(text);
            return offers.All(o => query.Matches(o) == query.Clauses.All(c => c.Matches(o)));
        });
}

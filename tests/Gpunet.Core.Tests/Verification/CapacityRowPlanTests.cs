using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class CapacityRowPlanTests
{
    [Property(MaxTest = 200)]
    public Property Pick_AnyTask_DistinctRowsInRangeOrderedAndAsManyAsAsked() =>
        Prop.ForAll(
            (from size in Gen.Choose(16, 300)
             from products in Gen.Choose(1, 12)
             from opened in Gen.Choose(1, 80)
             from seed in ArbMap.Default.GeneratorFor<ulong>()
             select (size, products, opened, seed)).ToArbitrary(),
            t =>
            {
                var picks = CapacityRowPlan.Pick(t.size, t.products, t.opened, t.seed);
                return picks.Count == Math.Min(t.opened, t.size * t.products)
                    && picks.All(p => p.Product >= 0 && p.Product < t.products && p.Row >= 0 && p.Row < t.size)
                    && picks.Distinct().Count() == picks.Count
                    && picks.SequenceEqual(picks.OrderBy(p => p.Product).ThenBy(p => p.Row));
            });

    [Fact]
    public void Pick_SameSeed_SameRows_OtherSeed_OtherRows()
    {
        var once = CapacityRowPlan.Pick(2048, 8, 32, 42);
        Assert.Equal(once, CapacityRowPlan.Pick(2048, 8, 32, 42));
        Assert.NotEqual(once, CapacityRowPlan.Pick(2048, 8, 32, 43));
    }

    [Fact]
    public void Pick_ManySeeds_EveryProductIsOpenedSometimes()
    {
        // A host cannot learn a product that is never opened: over many checks each product is asked about.
        var opened = Enumerable.Range(0, 200).SelectMany(s => CapacityRowPlan.Pick(64, 10, 4, (ulong)s)).Select(p => p.Product).ToHashSet();
        Assert.Equal(10, opened.Count);
    }

    [Fact]
    public void Pick_FewerRowsThanAsked_OpensEveryRow()
    {
        var picks = CapacityRowPlan.Pick(16, 2, 100, 7);
        Assert.Equal(32, picks.Count);
    }

    [Fact]
    public void Pick_MoreRowsThanAnIntCounts_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CapacityRowPlan.Pick(32_768, 70_000, 32, 1));
}

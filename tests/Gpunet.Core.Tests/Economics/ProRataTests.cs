using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Tests.Economics;

public sealed class ProRataTests
{
    [Fact]
    public void Split_ProportionalWeights_ExactParts() =>
        Assert.Equal([Economy.Units(60), Economy.Units(30), Economy.Units(10)], ProRata.Split(Economy.Units(100), [6, 3, 1]));

    [Fact]
    public void Split_Leftover_LargestRemaindersThenLowerIndex()
    {
        // 10 / 3 = 3.33 each: one unit left, three equal remainders, the first gets it.
        Assert.Equal([Economy.Units(4), Economy.Units(3), Economy.Units(3)], ProRata.Split(Economy.Units(10), [1, 1, 1]));
        // 10 × (1, 2) / 3 = 3.33, 6.67: the larger remainder gets the unit.
        Assert.Equal([Economy.Units(3), Economy.Units(7)], ProRata.Split(Economy.Units(10), [1, 2]));
    }

    [Fact]
    public void Split_ZeroWeights_AllZeroAndTheCallerKeepsIt()
    {
        Assert.Equal([Economy.Units(0), Economy.Units(0)], ProRata.Split(Economy.Units(100), [0, 0]));
        Assert.Empty(ProRata.Split(Economy.Units(100), []));
    }

    [Fact]
    public void Split_HugeNumbers_NoOverflow()
    {
        var parts = ProRata.Split(TokenAmount.TotalSupply, [long.MaxValue, long.MaxValue, 1]);

        Assert.Equal(TokenAmount.TotalSupplyBaseUnits, parts.Sum(p => p.BaseUnits));
        Assert.Equal(TokenAmount.TotalSupplyBaseUnits / 2, parts[0].BaseUnits);
        Assert.Equal(0, parts[2].BaseUnits);
    }

    [Fact]
    public void Split_NegativeWeight_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ProRata.Split(Economy.Units(1), [1, -1]));

    [Property(MaxTest = 500)]
    public Property Split_AnyWeights_SumsToTheTotalAndEachPartWithinOneUnitOfItsShare() =>
        Prop.ForAll(
            Gen.Choose(0, int.MaxValue).Select(t => (long)t * 1000).ToArbitrary(),
            Gen.ArrayOf(Gen.Frequency((1, Gen.Constant(0L)), (4, Gen.Choose(1, 1_000_000).Select(w => (long)w)))).ToArbitrary(),
            (total, weights) =>
            {
                var parts = ProRata.Split(TokenAmount.FromBaseUnits(total), weights);
                var sum = weights.Sum();
                Assert.Equal(weights.Length, parts.Length);
                Assert.Equal(sum == 0 ? 0 : total, parts.Sum(p => p.BaseUnits));
                for (var i = 0; i < weights.Length && sum > 0; i++)
                {
                    var exact = (decimal)total * weights[i] / sum;
                    Assert.InRange(parts[i].BaseUnits, decimal.Floor(exact), decimal.Ceiling(exact));
                    if (weights[i] == 0)
                        Assert.Equal(0, parts[i].BaseUnits);
                }
            });
}

using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Tests.Economics;

public sealed class FractionTests
{
    [Fact]
    public void Of_OneThirdOfEightThousandTokens_FlooredExactly() =>
        Assert.Equal(Economy.Units(266_666_666_666), new Fraction(1, 3).Of(Economy.Tokens(8000)));

    [Fact]
    public void Of_TheWholeSupply_NoOverflow() =>
        Assert.Equal(Economy.Units(2_800_000_000_000_000_000), new Fraction(2, 3).Of(TokenAmount.TotalSupply));

    [Theory]
    [InlineData(1, 0)]
    [InlineData(-1, 3)]
    [InlineData(4, 3)]
    public void Constructor_NotAFractionFromZeroToOne_Refused(long numerator, long denominator) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Fraction(numerator, denominator));
}

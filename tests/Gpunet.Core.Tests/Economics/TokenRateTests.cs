using Gpunet.Core.Economics;

namespace Gpunet.Core.Tests.Economics;

public sealed class TokenRateTests
{
    [Fact]
    public void FromUsd_DefaultRate_TenTokensPerDollar()
    {
        Assert.Equal(0.10m, TokenRate.Default.UsdPerToken);
        Assert.Equal(Economy.Tokens(25), TokenRate.Default.FromUsd(2.50m));
    }

    [Fact]
    public void FromUsd_NotAWholeBaseUnit_FlooredNeverNegative()
    {
        var rate = new TokenRate(3m);

        Assert.Equal(Economy.Units(33_333_333), rate.FromUsd(1m)); // 0.333333333… tokens
        Assert.Equal(Economy.Units(0), rate.FromUsd(0.00000002m)); // 0.67 base units
        Assert.Equal(Economy.Units(0), rate.FromUsd(-5m));
    }

    [Fact]
    public void FromUsd_ExactQuotient_NotRoundedDown()
    {
        // 0.3 / 0.1 = 3 exactly; a rounded quotient below 3 must not lose a base unit.
        Assert.Equal(Economy.Tokens(3), TokenRate.Default.FromUsd(0.3m));
        Assert.Equal(Economy.Units(1), new TokenRate(7m).FromUsd(0.00000007m));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.1)]
    public void Constructor_NotPositive_Refused(decimal usd) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenRate(usd));

    [Fact]
    public void FromUsd_DefaultStruct_Refused() =>
        Assert.Throws<InvalidOperationException>(() => default(TokenRate).FromUsd(1m));

    [Fact]
    public void FixedPriceFeed_Current_TheConfiguredRate()
    {
        var feed = new FixedPriceFeed(new TokenRate(0.25m));

        Assert.Equal(new TokenRate(0.25m), feed.Current());
        Assert.Equal("fixed", feed.Name);
    }
}

using Gpunet.Core.Economics;

namespace Gpunet.Core.Tests.Economics;

public sealed class LeaseChargeTests
{
    [Fact]
    public void For_EightGpusForAnHour_PriceTimesGpusAtTheLockedRate() =>
        // 2 USD × 8 GPUs × 1 h = 16 USD = 160 tokens at 0.10 USD/token
        Assert.Equal(Economy.Tokens(160), LeaseCharge.For(2m, 8, 1000, 3600, TokenRate.Default));

    [Fact]
    public void For_HalfAGpuForAMinute_PerSecondBilling() =>
        // 3 USD × 0.5 × 60/3600 = 0.025 USD = 0.25 tokens
        Assert.Equal(Economy.Tokens(0.25m), LeaseCharge.For(3m, 1, 500, 60, TokenRate.Default));

    [Fact]
    public void For_FractionOfABaseUnit_FlooredInTheCustomersFavour()
    {
        // 1 USD/h for 1 s at 3 USD/token = 1/10800 token = 9259.259… base units
        Assert.Equal(Economy.Units(9259), LeaseCharge.For(1m, 1, 1000, 1, new TokenRate(3m)));
        Assert.Equal(Economy.Units(0), LeaseCharge.For(0.0000001m, 1, 1, 1, TokenRate.Default));
    }

    [Fact]
    public void For_NothingMetered_Zero()
    {
        Assert.Equal(Economy.Units(0), LeaseCharge.For(2m, 8, 1000, 0, TokenRate.Default));
        Assert.Equal(Economy.Units(0), LeaseCharge.For(2m, 0, 1000, 3600, TokenRate.Default));
    }

    [Fact]
    public void For_BadArguments_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LeaseCharge.For(-1m, 1, 1000, 1, TokenRate.Default));
        Assert.Throws<ArgumentOutOfRangeException>(() => LeaseCharge.For(1m, 1, 1001, 1, TokenRate.Default));
        Assert.Throws<ArgumentOutOfRangeException>(() => LeaseCharge.For(1m, 1, 1000, -1, TokenRate.Default));
    }
}

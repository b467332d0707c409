using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;

namespace Gpunet.IntegrationTests.Ledger;

/// <summary>What an on-demand lease holds at each settlement: the same rule as its first hold, minimum included.</summary>
public sealed class OrderFundingTests
{
    private static readonly EconomicsOptions Economics = new();
    private static readonly TokenRate Rate = new(0.10m);
    private static readonly TokenAmount Minimum = TokenAmount.FromTokens(10);

    private static LeaseBillingRecord Billing(decimal maxUsd, long termSeconds, int gpuMilli = 1) => new()
    {
        LeaseId = "lease-000000000001", Customer = "0x" + new string('1', 40), Kind = "on-demand",
        MaxUsdPerGpuHour = maxUsd, Gpus = 1, GpuMilli = gpuMilli, TermSeconds = termSeconds,
    };

    [Fact]
    public void NextHold_OfAQueuedLeaseAtATokenPrice_IsStillTheMinimum()
    {
        // A thousandth of a GPU at 0.0001 USD/h holds about 0.00002 tokens a day: queueing must not become free after
        // the first settlement.
        Assert.Equal(Minimum, OrderFunding.NextHold(Billing(0.0001m, 30 * 86_400), 0, Rate, Economics, Minimum));
    }

    [Fact]
    public void NextHold_AboveTheMinimum_IsThePeriodAtTheMaxPrice_AndZeroOnceTheTermIsUsedUp()
    {
        var billing = Billing(1000m, 2 * 86_400, gpuMilli: 1000);
        var day = OrderFunding.NextHold(billing, 0, Rate, Economics, Minimum);

        Assert.Equal(LeaseCharge.For(1000m, 1, 1000, OrderFunding.HoldSeconds(billing.TermSeconds, 0, Economics), Rate), day);
        Assert.True(day > Minimum);
        Assert.Equal(TokenAmount.Zero, OrderFunding.NextHold(billing, billing.TermSeconds, Rate, Economics, Minimum));
    }
}

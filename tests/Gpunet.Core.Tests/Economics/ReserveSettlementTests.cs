using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Tests.Economics;

public sealed class ReserveSettlementTests
{
    [Fact]
    public void For_EndedBelowTheMaxPrice_RefundsWhatWasTakenAboveThePrice()
    {
        // Prepaid 2 hours at 3 USD (60 tokens); the host's price is 1 USD: it earns 20 tokens, 40 go back.
        var split = ReserveSettlement.For(1m, 1, 1000, 7200, 0, TokenRate.Default, Economy.Tokens(60), ended: true);

        Assert.Equal(Economy.Tokens(20), split.Earnable);
        Assert.Equal(Economy.Tokens(40), split.Refund);
    }

    [Fact]
    public void For_StillRunning_RefundsNothingYet() =>
        Assert.Equal(TokenAmount.Zero, ReserveSettlement.For(1m, 1, 1000, 7200, 0, TokenRate.Default, Economy.Tokens(60), ended: false).Refund);

    [Fact]
    public void For_EscrowBelowWhatIsOwed_EarnsOnlyTheEscrow() =>
        Assert.Equal(Economy.Tokens(5), ReserveSettlement.For(1m, 1, 1000, 7200, 0, TokenRate.Default, Economy.Tokens(5), ended: true).Earnable);

    // Refund + earnable = escrow once ended: nothing kept twice, nothing lost; neither is ever negative.
    [Property(MaxTest = 500)]
    public Property For_Ended_RefundPlusEarnableIsTheEscrow() =>
        Prop.ForAll(Gen.Zip(Gen.Choose(0, 10_000), Gen.Choose(0, 100_000)).ToArbitrary(), Gen.Choose(0, 100_000).ToArbitrary(),
            Gen.Choose(0, 1_000_000).ToArbitrary(), (price, charged, escrow) =>
            {
                var (cents, term) = price;
                var balance = Economy.Units(escrow * 1000L);
                var split = ReserveSettlement.For(cents / 100m, 2, 500, term, charged, TokenRate.Default, balance, ended: true);
                return split.Earnable + split.Refund == balance && split.Earnable <= balance;
            });
}

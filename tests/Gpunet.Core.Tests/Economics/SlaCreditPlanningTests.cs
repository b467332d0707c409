using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;
using static Gpunet.Core.Tests.Economics.Economy;

namespace Gpunet.Core.Tests.Economics;

public sealed class SlaCreditPlanningTests
{
    private static readonly EpochSettlementPlanner Planner = new(Defaults);

    // Lease lease-1 of customer 9 on host 1 (operator 1): 100 tokens charged this epoch from a reserve escrow.
    private static EpochInputs WithLease(decimal vesting, SlaCreditClaim claim, HostEpoch? host = null) => Empty() with
    {
        Hosts = [host ?? StakedHost(1, 1, gpus: 1)],
        Leases = [Reserve("lease-1", 1, 9, 100, 1000)],
        Tranches = vesting > 0 ? [new VestingTranche(Wallet(1), Epoch - 1, Tokens(vesting), Tokens(0), End() - TimeSpan.FromDays(1))] : [],
        Credits = [claim],
    };

    private static SlaCreditClaim Claim(decimal percent, decimal feesBefore = 0, decimal creditedBefore = 0) =>
        new("lease-1", Host(1), Wallet(1), Wallet(9), percent, Tokens(feesBefore), Tokens(creditedBefore), "availability 98.00 % below 99.90 % (enterprise)");

    [Fact]
    public void Plan_TenPercentOfTheMonthsFees_PaidToTheCustomerFromTheHostsVesting()
    {
        var plan = Planner.Plan(WithLease(500, Claim(10, feesBefore: 400)));

        // (400 earlier + 100 this epoch) × 10 % = 50 tokens.
        var credit = plan.Single(TransferCode.SlaCredit);
        Assert.Equal((Vesting(1), Available(9), Tokens(50)), (credit.Debit, credit.Credit, credit.Amount));
        var paid = Assert.Single(plan.Credits);
        Assert.Equal((Tokens(500), Tokens(50), Tokens(50), TokenAmount.Zero), (paid.FeesToDate, paid.DueToDate, paid.Paid, paid.Unpaid));
        Assert.Equal(Tokens(50), plan.Totals.SlaCredits);
    }

    [Fact]
    public void Plan_NoVestingLeft_TakenFromTheStakeAndTheHostPausedBelowIt()
    {
        var plan = Planner.Plan(WithLease(0, Claim(100, feesBefore: 900)));

        // 1000 tokens due: this epoch's 80-token host fee vests first, the rest comes from the 1000-token stake.
        var credits = plan.Of(TransferCode.SlaCredit);
        Assert.Equal(Tokens(1000), credits.Aggregate(TokenAmount.Zero, (sum, t) => sum + t.Amount));
        Assert.Equal(AccountKey.HostStake(Host(1)), credits[^1].Debit);
        Assert.Equal([Host(1)], plan.BelowStake);
    }

    [Fact]
    public void Plan_HostWithNothingLeft_UnpaidReportedAndNothingCreated()
    {
        var broke = StakedHost(1, 1, gpus: 1) with { Staked = TokenAmount.Zero };
        var plan = Planner.Plan(WithLease(0, Claim(100, feesBefore: 900), broke) with { Leases = [] });

        var paid = Assert.Single(plan.Credits);
        Assert.Equal(TokenAmount.Zero, paid.Paid);
        Assert.Equal(Tokens(900), paid.Unpaid);
        Assert.Empty(plan.Of(TransferCode.SlaCredit));
    }

    [Fact]
    public void Plan_AlreadyCreditedMoreThanNowDue_NothingMoreAndNothingTakenBack()
    {
        var plan = Planner.Plan(WithLease(500, Claim(10, feesBefore: 400, creditedBefore: 60)));

        Assert.Empty(plan.Of(TransferCode.SlaCredit));
        Assert.Equal(TokenAmount.Zero, Assert.Single(plan.Credits).Paid);
    }

    [Fact]
    public void Plan_CreditAndSlashOfOneHost_CustomerPaidFirstThenTheSlashFromWhatIsLeft()
    {
        var host = StakedHost(1, 1, gpus: 3); // required 3000: a downtime slash is 1000
        var slash = new SlashEvent(1, host.Host, Wallet(1), SlashKind.Downtime, "offline while serving lease-1", End());
        var plan = Planner.Plan(WithLease(0, Claim(100, feesBefore: 2900), host) with { Slashes = [slash] });

        var credited = plan.Of(TransferCode.SlaCredit).Aggregate(TokenAmount.Zero, (sum, t) => sum + t.Amount);
        var slashed = plan.Of(TransferCode.Slash).Aggregate(TokenAmount.Zero, (sum, t) => sum + t.Amount);
        Assert.Equal(Tokens(3000), credited);
        Assert.Equal(Tokens(80), slashed); // only this epoch's host fee was left, in vesting
        Assert.True(plan.Transfers.ToList().FindIndex(t => t.Code == TransferCode.SlaCredit) < plan.Transfers.ToList().FindIndex(t => t.Code == TransferCode.Slash));
    }
}

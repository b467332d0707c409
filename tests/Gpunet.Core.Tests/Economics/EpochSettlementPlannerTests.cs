using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;
using static Gpunet.Core.Tests.Economics.Economy;

namespace Gpunet.Core.Tests.Economics;

public sealed class EpochSettlementPlannerTests
{
    private static readonly EpochSettlementPlanner Planner = new(new EconomicsOptions());

    private static EpochSettlement Plan(EpochInputs inputs) => Planner.Plan(inputs);

    [Fact]
    public void Plan_ReserveLeaseChargedHundredTokens_EightyToTheOperatorsVestingTwentyToTheTreasury()
    {
        var plan = Plan(Empty() with { Leases = [Reserve("lease-1", 1, 9, charge: 100, escrow: 500)] });

        var hostFee = plan.Single(TransferCode.HostFee);
        Assert.Equal((AccountKey.LeaseEscrow("lease-1"), Vesting(1), Tokens(80)), (hostFee.Debit, hostFee.Credit, hostFee.Amount));
        var protocolFee = plan.Single(TransferCode.ProtocolFee);
        Assert.Equal((AccountKey.LeaseEscrow("lease-1"), Network(AccountPurpose.Treasury), Tokens(20)), (protocolFee.Debit, protocolFee.Credit, protocolFee.Amount));
        Assert.Empty(plan.Of(TransferCode.EscrowRefund));
        Assert.Equal((Tokens(100), Tokens(80), Tokens(20)), (plan.Totals.Fees, plan.Totals.HostFees, plan.Totals.ProtocolFees));

        // The host fee is one new tranche, starting to vest at the epoch's end: nothing releases yet.
        var tranche = Assert.Single(plan.Tranches);
        Assert.Equal(new VestingTranche(Wallet(1), Epoch, Tokens(80), Tokens(0), End()), tranche);
        Assert.Empty(plan.Of(TransferCode.VestingRelease));
    }

    [Fact]
    public void Plan_ReserveChargeBeyondTheEscrow_OnlyTheEscrowCharged()
    {
        var plan = Plan(Empty() with { Leases = [Reserve("lease-1", 1, 9, charge: 100, escrow: 50)] });

        Assert.Equal(Tokens(50), plan.Totals.Fees);
    }

    [Fact]
    public void Plan_ReserveEndedNotByTheCustomer_UnusedEscrowRefunded()
    {
        var plan = Plan(Empty() with { Leases = [Reserve("lease-1", 1, 9, charge: 30, escrow: 100, ended: true)] });

        var refund = plan.Single(TransferCode.EscrowRefund);
        Assert.Equal((AccountKey.LeaseEscrow("lease-1"), Available(9), Tokens(70)), (refund.Debit, refund.Credit, refund.Amount));
        Assert.Equal(Tokens(30), plan.Totals.Fees);
        Assert.Equal(Tokens(70), plan.Totals.Refunds);
    }

    [Fact]
    public void Plan_ReserveEndedByTheCustomersFault_WholeEscrowCharged()
    {
        var plan = Plan(Empty() with { Leases = [Reserve("lease-1", 1, 9, charge: 30, escrow: 100, ended: true, atFault: true)] });

        Assert.Empty(plan.Of(TransferCode.EscrowRefund));
        Assert.Equal(Tokens(80), plan.Single(TransferCode.HostFee).Amount);
        Assert.Equal(Tokens(20), plan.Single(TransferCode.ProtocolFee).Amount);
        Assert.Equal(Tokens(0), plan.Totals.Refunds);
    }

    [Fact]
    public void Plan_OnDemandWithinItsHold_HoldPostedForTheChargeAndANewHoldPlaced()
    {
        var open = TransferId.FromParts(7, 7);
        var plan = Plan(Empty() with { Leases = [OnDemand("lease-1", 1, 9, charge: 40, open, hold: 48, nextHold: 48)] });

        var post = plan.Single(TransferCode.EscrowCharge);
        Assert.Equal(
            (Available(9), AccountKey.LeaseEscrow("lease-1"), Tokens(40), TransferFlags.PostPending, (TransferId?)open),
            (post.Debit, post.Credit, post.Amount, post.Flags, post.PendingId));
        Assert.Equal(Tokens(32), plan.Single(TransferCode.HostFee).Amount);
        Assert.Equal(Tokens(8), plan.Single(TransferCode.ProtocolFee).Amount);

        var hold = plan.Single(TransferCode.EscrowHold);
        Assert.Equal((Available(9), AccountKey.LeaseEscrow("lease-1"), Tokens(48), TransferFlags.Pending), (hold.Debit, hold.Credit, hold.Amount, hold.Flags));
        Assert.Equal(new LeaseHold("lease-1", hold.Id, Tokens(48)), Assert.Single(plan.NewHolds));

        // The post comes before the fees it funds, and the new hold after the post released the old one.
        var order = plan.Transfers.Select(t => t.Code).ToList();
        Assert.True(order.IndexOf(TransferCode.EscrowCharge) < order.IndexOf(TransferCode.HostFee));
        Assert.True(order.IndexOf(TransferCode.EscrowCharge) < order.IndexOf(TransferCode.EscrowHold));
    }

    [Fact]
    public void Plan_OnDemandChargeBeyondItsHold_OnlyTheHoldPosted()
    {
        var plan = Plan(Empty() with { Leases = [OnDemand("lease-1", 1, 9, charge: 60, TransferId.FromParts(7, 7), hold: 48, nextHold: 0, ended: true)] });

        Assert.Equal(Tokens(48), plan.Single(TransferCode.EscrowCharge).Amount);
        Assert.Equal(Tokens(48), plan.Totals.Fees);
        Assert.Empty(plan.NewHolds);
    }

    [Fact]
    public void Plan_OnDemandNothingCharged_HoldVoidedAndNoFees()
    {
        var open = TransferId.FromParts(7, 7);
        var plan = Plan(Empty() with { Leases = [OnDemand("lease-1", 1, 9, charge: 0, open, hold: 48, nextHold: 48, ended: true)] });

        var voided = plan.Single(TransferCode.EscrowRefund);
        Assert.Equal((TransferFlags.VoidPending, (TransferId?)open, Tokens(0)), (voided.Flags, voided.PendingId, voided.Amount));
        Assert.Empty(plan.Of(TransferCode.HostFee));
        Assert.Empty(plan.Of(TransferCode.EscrowHold)); // ended: no hold for a next period
        Assert.Empty(plan.Tranches);
    }

    [Fact]
    public void Plan_OnDemandWithoutAnOpenHold_OnlyTheNewHold()
    {
        var plan = Plan(Empty() with { Leases = [OnDemand("lease-1", 1, 9, charge: 0, null, hold: 0, nextHold: 48)] });

        Assert.Equal([TransferCode.EscrowHold], plan.Transfers.Select(t => t.Code));
    }

    [Fact]
    public void Plan_TrancheNineDaysOld_TwentyPercentReleasedToAvailable()
    {
        var old = new VestingTranche(Wallet(1), Epoch - 9, Tokens(100), Tokens(0), End() - TimeSpan.FromDays(9));
        var plan = Plan(Empty() with { Tranches = [old] });

        var release = plan.Single(TransferCode.VestingRelease);
        Assert.Equal((Vesting(1), Available(1), Tokens(20)), (release.Debit, release.Credit, release.Amount));
        Assert.Equal(old with { Released = Tokens(20) }, Assert.Single(plan.Tranches));
        Assert.Equal(Tokens(20), plan.Totals.VestingReleased);
    }

    [Fact]
    public void Plan_TrancheAtFortyFiveDays_ReleasedInFullAndDropped()
    {
        var old = new VestingTranche(Wallet(1), Epoch - 45, Tokens(100), Tokens(97.5m), End() - TimeSpan.FromDays(45));
        var plan = Plan(Empty() with { Tranches = [old] });

        Assert.Equal(Tokens(2.5m), plan.Single(TransferCode.VestingRelease).Amount);
        Assert.Empty(plan.Tranches);
    }

    [Fact]
    public void Plan_SeveralTranchesOfOneOperator_OneReleaseTransfer()
    {
        VestingTranche[] tranches =
        [
            new(Wallet(1), Epoch - 9, Tokens(100), Tokens(0), End() - TimeSpan.FromDays(9)),
            new(Wallet(1), Epoch - 18, Tokens(100), Tokens(20), End() - TimeSpan.FromDays(18)),
        ];

        var plan = Plan(Empty() with { Tranches = tranches });

        Assert.Equal(Tokens(40), plan.Single(TransferCode.VestingRelease).Amount); // 20 + (40 − 20)
    }

    [Fact]
    public void Plan_UnbondingEntry_ReleasedAtOneHundredEightyDaysNotBefore()
    {
        var unstaked = End() - TimeSpan.FromDays(180);
        var due = new UnbondingEntry(1, Wallet(3), Host(1), Tokens(8000), unstaked + TimeSpan.FromDays(180));
        var early = new UnbondingEntry(2, Wallet(4), Host(2), Tokens(1000), unstaked + TimeSpan.FromDays(180) + TimeSpan.FromSeconds(1));

        var plan = Plan(Empty() with { Unbonding = [early, due] });

        var release = plan.Single(TransferCode.UnbondingRelease);
        Assert.Equal((Unbonding(3), Available(3), Tokens(8000)), (release.Debit, release.Credit, release.Amount));
        Assert.Equal([1L], plan.ReleasedUnbonding);
        Assert.Equal(Tokens(8000), plan.Totals.UnbondingReleased);
        Assert.Equal([2L], Plan(Empty(Epoch + 1) with { Unbonding = [early] }).ReleasedUnbonding);
    }

    [Fact]
    public void Plan_DowntimeSlashOfEightH100Host_AThirdOfEightThousandFromVestingThenStake()
    {
        var required = new StakeTable(new EconomicsOptions()).RequiredStake(Enumerable.Repeat("H100", 8));
        var host = StakedHost(1, 1) with { RequiredStake = required, Staked = required, UptimeSeconds = 0 };
        var vesting = new VestingTranche(Wallet(1), Epoch - 1, Tokens(1000), Tokens(0), End() - TimeSpan.FromDays(1));
        var slash = new SlashEvent(1, host.Host, Wallet(1), SlashKind.Downtime, "offline 40 min while serving lease-1", End());

        var plan = Plan(Empty() with { Hosts = [host], Tranches = [vesting], Slashes = [slash] });

        // floor(8000 tokens / 3) = 2666.66666666 tokens: 1000 from vesting, the rest from the stake.
        var slashes = plan.Of(TransferCode.Slash);
        Assert.Equal(2, slashes.Length);
        Assert.Equal((Vesting(1), Network(AccountPurpose.Slashed), Tokens(1000)), (slashes[0].Debit, slashes[0].Credit, slashes[0].Amount));
        Assert.Equal((AccountKey.HostStake(host.Host), Network(AccountPurpose.Slashed), Units(166_666_666_666)), (slashes[1].Debit, slashes[1].Credit, slashes[1].Amount));
        Assert.Equal(Units(266_666_666_666), plan.Totals.Slashed);
        Assert.Equal([host.Host], plan.BelowStake);
        Assert.Empty(plan.Tranches); // the slashed tranche is empty, so released in full
        Assert.Empty(plan.Of(TransferCode.VestingRelease));
    }

    [Fact]
    public void Plan_SlashWithEnoughVesting_NewestTrancheFirstAndStakeUntouched()
    {
        var host = StakedHost(1, 1, gpus: 3, uptime: 0); // required 3000: a third is 1000
        var older = new VestingTranche(Wallet(1), Epoch - 20, Tokens(900), Tokens(0), End() - TimeSpan.FromDays(20));
        var newer = new VestingTranche(Wallet(1), Epoch - 1, Tokens(600), Tokens(0), End() - TimeSpan.FromDays(1));
        var slash = new SlashEvent(1, host.Host, Wallet(1), SlashKind.Downtime, "offline", End());

        var plan = Plan(Empty() with { Hosts = [host], Tranches = [older, newer], Slashes = [slash] });

        Assert.Equal(Tokens(1000), plan.Single(TransferCode.Slash).Amount);
        Assert.Equal(Vesting(1), plan.Single(TransferCode.Slash).Debit);
        Assert.Empty(plan.BelowStake);
        // The newer tranche is gone; 400 were taken from the older one, which then releases 20 days of 45 of 500.
        var left = Assert.Single(plan.Tranches);
        Assert.Equal(Tokens(500), left.Amount);
        Assert.Equal(Units(22_222_222_222), left.Released);
    }

    [Fact]
    public void Plan_SlashThisEpochsEarnings_TakenBeforeOlderVesting()
    {
        var host = StakedHost(1, 1, gpus: 3, uptime: 0);
        var older = new VestingTranche(Wallet(1), Epoch - 20, Tokens(900), Tokens(0), End() - TimeSpan.FromDays(20));
        var slash = new SlashEvent(1, host.Host, Wallet(1), SlashKind.Downtime, "offline", End());

        var plan = Plan(Empty() with
        {
            Hosts = [host],
            Leases = [Reserve("lease-1", 1, 9, charge: 1000, escrow: 1000)],
            Tranches = [older],
            Slashes = [slash],
        });

        // This epoch's 800 of host fees go first, then 200 of the older tranche.
        Assert.Equal(Tokens(1000), plan.Single(TransferCode.Slash).Amount);
        var left = Assert.Single(plan.Tranches);
        Assert.Equal((Epoch - 20, Tokens(700)), (left.Epoch, left.Amount));
    }

    [Fact]
    public void Plan_DeceitSlashWithoutVesting_TheWholeStake()
    {
        var host = StakedHost(1, 1, uptime: 0);
        var slash = new SlashEvent(1, host.Host, Wallet(1), SlashKind.Deceit, "claimed H100, timed as an A10", End());

        var plan = Plan(Empty() with { Hosts = [host], Slashes = [slash] });

        var taken = plan.Single(TransferCode.Slash);
        Assert.Equal((AccountKey.HostStake(host.Host), Tokens(8000)), (taken.Debit, taken.Amount));
        Assert.Equal([host.Host], plan.BelowStake);
    }

    [Fact]
    public void Plan_TwoSlashesOfOneHost_StakeTrackedNeverOverdrawn()
    {
        var host = StakedHost(1, 1, uptime: 0) with { Staked = Tokens(9000) };
        SlashEvent[] slashes =
        [
            new(2, host.Host, Wallet(1), SlashKind.Deceit, "second", End()),
            new(1, host.Host, Wallet(1), SlashKind.Downtime, "first", End()),
        ];

        var plan = Plan(Empty() with { Hosts = [host], Slashes = slashes });

        // 2666.66666666 first, then 8000 due of the 6333.33333334 left.
        Assert.Equal([Units(266_666_666_666), Units(633_333_333_334)], plan.Of(TransferCode.Slash).Select(t => t.Amount));
        Assert.Equal(Tokens(9000), plan.Totals.Slashed);
    }

    [Fact]
    public void Plan_HostBelowStakeWithoutSlash_ListedAndEarnsNothing()
    {
        var under = StakedHost(1, 1) with { Staked = Tokens(7999) };
        var full = StakedHost(2, 2);

        var plan = Plan(Empty() with { Hosts = [under, full], EmissionPoolBalance = Planner.Emission.PoolAtGenesis });

        Assert.Equal([under.Host], plan.BelowStake);
        var reward = plan.Single(TransferCode.Reward);
        Assert.Equal(Vesting(2), reward.Credit);
    }

    [Fact]
    public void Plan_CapacityRewards_ByCapacityTimesUptimeFromTheEmissionPool()
    {
        var pool = Planner.Emission.PoolAtGenesis;
        var e = Planner.Emission.For(Epoch, pool);
        var big = StakedHost(1, 1, gpus: 8, uptime: 86_400);
        var small = StakedHost(2, 2, gpus: 2, uptime: 43_200); // a quarter of the GPUs, half the day: 1/8 of big's weight
        var offline = StakedHost(3, 3, gpus: 8, uptime: 0);

        var plan = Plan(Empty() with { EmissionPoolBalance = pool, Hosts = [offline, small, big] });

        var capacity = (long)decimal.Floor(e.BaseUnits * 0.6m);
        var rewards = plan.Of(TransferCode.Reward);
        Assert.Equal(2, rewards.Length);
        Assert.All(rewards, r => Assert.Equal(Network(AccountPurpose.EmissionPool), r.Debit));
        Assert.Equal(capacity, rewards.Sum(r => r.Amount.BaseUnits));
        var toBig = rewards.Single(r => r.Credit == Vesting(1)).Amount.BaseUnits;
        var toSmall = rewards.Single(r => r.Credit == Vesting(2)).Amount.BaseUnits;
        Assert.InRange(toBig - (8 * toSmall), -8, 8);

        // Nobody served and there are no checkers: those shares stay in the pool.
        Assert.Equal(TokenAmount.Zero, plan.Totals.DeliveryRewards);
        Assert.Empty(plan.Of(TransferCode.CheckerReward));
        Assert.Equal(Units(capacity), plan.Totals.Emission);
        Assert.Equal(Units(capacity), plan.Totals.CapacityRewards);
        Assert.Equal(2, plan.Tranches.Count);
    }

    [Fact]
    public void Plan_DeliveryAndCheckerRewards_ByServedSecondsAndCorrectReports()
    {
        var pool = Planner.Emission.PoolAtGenesis;
        var e = Planner.Emission.For(Epoch, pool).BaseUnits;
        var plan = Plan(Empty() with
        {
            EmissionPoolBalance = pool,
            Hosts = [StakedHost(1, 1, served: 3000), StakedHost(2, 2, served: 1000)],
            Checkers = [new CheckerEpoch(Wallet(8), 30), new CheckerEpoch(Wallet(7), 10), new CheckerEpoch(Wallet(6), 0)],
        });

        var delivery = (long)decimal.Floor(e * 0.3m);
        var checkers = e - (long)decimal.Floor(e * 0.6m) - delivery;
        // One reward transfer per container: its capacity share (half of the capacity pool: equal hosts) and its delivery share.
        var capacityHalf = (long)decimal.Floor(e * 0.6m) / 2;
        Assert.InRange(plan.Of(TransferCode.Reward).Single(r => r.Credit == Vesting(1)).Amount.BaseUnits - capacityHalf, (delivery * 3 / 4) - 2, (delivery * 3 / 4) + 2);
        Assert.Equal(Units(delivery), plan.Totals.DeliveryRewards);
        var paid = plan.Of(TransferCode.CheckerReward);
        Assert.Equal([Available(7), Available(8)], paid.Select(p => p.Credit)); // checkers do not vest; zero reports, nothing
        Assert.Equal(checkers, paid.Sum(p => p.Amount.BaseUnits));
        Assert.Equal(Units(e), plan.Totals.Emission);

        // Each operator's rewards are one tranche; the checkers have none.
        Assert.Equal([Wallet(1), Wallet(2)], plan.Tranches.Select(t => t.Owner));
    }

    [Fact]
    public void Plan_FeesAndRewardsOfOneOperator_OneTranche()
    {
        var plan = Plan(Empty() with
        {
            EmissionPoolBalance = Planner.Emission.PoolAtGenesis,
            Hosts = [StakedHost(1, 1), StakedHost(2, 1)],
            Leases = [Reserve("lease-a", 1, 9, 10, 10), Reserve("lease-b", 1, 9, 10, 10)],
        });

        var tranche = Assert.Single(plan.Tranches);
        var credited = plan.Transfers.Where(t => t.Credit == Vesting(1)).Sum(t => t.Amount.BaseUnits);
        Assert.Equal(Units(credited), tranche.Amount);
        Assert.Equal(End(), tranche.Start);
    }

    [Fact]
    public void Plan_TransferIds_EpochInTheHighHalfCodeAndSequenceInTheLow()
    {
        var plan = Plan(Empty() with { Leases = [Reserve("lease-a", 1, 9, 10, 10), Reserve("lease-b", 2, 9, 10, 10)] });

        var fees = plan.Of(TransferCode.HostFee);
        Assert.Equal(TransferId.FromParts(0x4550_0000_0000_0000UL | Epoch, (40UL << 40) | 1), fees[0].Id);
        Assert.Equal(TransferId.FromParts(0x4550_0000_0000_0000UL | Epoch, (40UL << 40) | 2), fees[1].Id);
        Assert.Equal(plan.Transfers.Count, plan.Transfers.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public void Plan_SameInputsInAnotherOrder_IdenticalPlan()
    {
        var inputs = Empty() with
        {
            EmissionPoolBalance = Planner.Emission.PoolAtGenesis,
            Hosts = [StakedHost(1, 1, served: 10), StakedHost(2, 2, served: 20), StakedHost(3, 1, served: 30)],
            Leases = [Reserve("lease-a", 1, 9, 10, 10, ended: true), OnDemand("lease-b", 2, 9, 5, TransferId.FromParts(3, 3), 8, 8)],
            Checkers = [new CheckerEpoch(Wallet(8), 1), new CheckerEpoch(Wallet(7), 1)],
            Tranches =
            [
                new VestingTranche(Wallet(1), Epoch - 3, Tokens(5), Tokens(0), End() - TimeSpan.FromDays(3)),
                new VestingTranche(Wallet(1), Epoch - 3, Tokens(7), Tokens(1), End() - TimeSpan.FromDays(3)),
            ],
            Unbonding = [new UnbondingEntry(5, Wallet(4), Host(4), Tokens(1), End()), new UnbondingEntry(4, Wallet(4), Host(4), Tokens(2), End())],
            Slashes = [new SlashEvent(9, Host(2), Wallet(2), SlashKind.Downtime, "x", End()), new SlashEvent(8, Host(1), Wallet(1), SlashKind.Downtime, "y", End())],
        };
        var reversed = inputs with
        {
            Hosts = [.. inputs.Hosts.Reverse()],
            Leases = [.. inputs.Leases.Reverse()],
            Checkers = [.. inputs.Checkers.Reverse()],
            Tranches = [.. inputs.Tranches.Reverse()],
            Unbonding = [.. inputs.Unbonding.Reverse()],
            Slashes = [.. inputs.Slashes.Reverse()],
        };

        var a = Plan(inputs);
        var b = Plan(reversed);
        var c = new EpochSettlementPlanner(new EconomicsOptions()).Plan(inputs);

        foreach (var other in new[] { b, c })
        {
            Assert.Equal(a.Transfers, other.Transfers);
            Assert.Equal(a.Tranches, other.Tranches);
            Assert.Equal(a.ReleasedUnbonding, other.ReleasedUnbonding);
            Assert.Equal(a.BelowStake, other.BelowStake);
            Assert.Equal(a.NewHolds, other.NewHolds);
            Assert.Equal(a.Totals, other.Totals);
        }
    }

    [Fact]
    public void Plan_InconsistentInputs_Refused()
    {
        var host = Assert.Throws<ArgumentException>(() => Plan(Empty() with { Hosts = [StakedHost(1, 1), StakedHost(1, 2)] }));
        Assert.StartsWith("container ", host.Message, StringComparison.Ordinal);
        Assert.Contains("is listed twice", host.Message, StringComparison.Ordinal);
        var lease = Assert.Throws<ArgumentException>(() => Plan(Empty() with { Leases = [Reserve("lease-a", 1, 9, 1, 1), Reserve("lease-a", 1, 9, 1, 1)] }));
        Assert.StartsWith("lease lease-a is listed twice", lease.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Plan(Empty() with { Slashes = [new SlashEvent(1, Host(1), Wallet(1), SlashKind.Deceit, "?", End())] }));
        Assert.Throws<ArgumentException>(() => Plan(Empty() with { Epoch = -1 }));
        Assert.Throws<ArgumentException>(() => Plan(Empty() with { End = Start() - TimeSpan.FromSeconds(1) }));
    }

    [Fact]
    public void Plan_AppliedToALedger_EveryTransferPostsAndBalancesMatchTheTranches()
    {
        var open = TransferId.FromParts(3, 3);
        var inputs = Empty() with
        {
            EmissionPoolBalance = Planner.Emission.PoolAtGenesis,
            Hosts = [StakedHost(1, 1, served: 10), StakedHost(2, 2, served: 20)],
            Leases = [Reserve("lease-a", 1, 9, 10, 30, ended: true), OnDemand("lease-b", 2, 8, 5, open, 8, 8)],
            Checkers = [new CheckerEpoch(Wallet(7), 3)],
            Tranches = [new VestingTranche(Wallet(1), Epoch - 10, Tokens(90), Tokens(0), End() - TimeSpan.FromDays(10))],
            Unbonding = [new UnbondingEntry(1, Wallet(4), Host(4), Tokens(2), End())],
            Slashes = [new SlashEvent(1, Host(2), Wallet(2), SlashKind.Downtime, "offline", End())],
        };
        var plan = Plan(inputs);
        var ledger = new EconomyLedger();
        ledger.FundFor(inputs);
        ledger.Fund(Available(8), Tokens(8)); // for the next hold

        Assert.All(ledger.Apply(plan.Transfers), r => Assert.Equal(TransferResult.Ok, r));

        Assert.True(LedgerAudit.Verify(ledger.Book).Balanced);
        Assert.Equal(Tokens(20), ledger.Balance(Available(9))); // refund of lease-a
        Assert.Equal(Tokens(11), ledger.Balance(Available(8))); // 8 held + 8 funded, 5 charged
        Assert.Equal(Tokens(3), ledger.AvailableOf(Available(8))); // the new hold of 8 reserved
        Assert.Equal(Tokens(2), ledger.Balance(Available(4)));
        foreach (var wallet in new[] { 1, 2 })
        {
            var unreleased = plan.Tranches.Where(t => t.Owner == Wallet(wallet)).Sum(t => (t.Amount - t.Released).BaseUnits);
            Assert.Equal(Units(unreleased), ledger.Balance(Vesting(wallet)));
        }

        Assert.Equal(ledger.Balance(Network(AccountPurpose.Slashed)), plan.Totals.Slashed);
        Assert.Equal(ledger.Balance(Network(AccountPurpose.Treasury)), plan.Totals.ProtocolFees);
        Assert.Equal(Planner.Emission.PoolAtGenesis - plan.Totals.Emission, ledger.Balance(Network(AccountPurpose.EmissionPool)));
    }
}

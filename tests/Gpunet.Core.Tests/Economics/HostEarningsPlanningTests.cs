using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;
using static Gpunet.Core.Tests.Economics.Economy;

namespace Gpunet.Core.Tests.Economics;

/// <summary>A settlement lists what each container earned and gave up: its operator's vesting account cannot say which
/// of the operator's hosts a reward or fee was for.</summary>
public sealed class HostEarningsPlanningTests
{
    private static readonly EpochSettlementPlanner Planner = new(new EconomicsOptions());

    [Fact]
    public void Plan_TwoHostsOfOneOperator_EachHostsRewardFeesAndSlashListedApart()
    {
        var pool = Planner.Emission.PoolAtGenesis;
        var big = StakedHost(1, 1, gpus: 8, uptime: 86_400);
        var small = StakedHost(2, 1, gpus: 2, uptime: 86_400) with { Operator = Wallet(1) };
        var idle = StakedHost(3, 3, gpus: 8, uptime: 0);
        // Reserve(...) places its lease on Host(operator): host 1 here, whose operator is wallet 1.
        var lease = Reserve("lease-1", operatorWallet: 1, customer: 9, charge: 100, escrow: 100);
        var slash = new SlashEvent(1, small.Host, Wallet(1), SlashKind.Downtime, "offline while serving", End());

        var plan = Planner.Plan(Empty() with { EmissionPoolBalance = pool, Hosts = [big, small, idle], Leases = [lease], Slashes = [slash] });

        // The idle host earned nothing and is not listed; the two others in host id order.
        Assert.Equal(new[] { big.Host, small.Host }.OrderBy(h => h.Value, StringComparer.Ordinal), plan.Earnings.Select(e => e.Host));
        var b = plan.Earnings.Single(e => e.Host == big.Host);
        var s = plan.Earnings.Single(e => e.Host == small.Host);
        Assert.All(plan.Earnings, e => Assert.Equal(Wallet(1), e.Operator));
        Assert.Equal(Tokens(80), b.Fees); // 80 % of the 100-token charge
        Assert.Equal(TokenAmount.Zero, s.Fees);
        Assert.Equal(plan.Totals.CapacityRewards, b.Capacity + s.Capacity);
        Assert.InRange(b.Capacity.BaseUnits - (4 * s.Capacity.BaseUnits), -4, 4); // four times the GPUs, the same uptime
        Assert.Equal(b.Capacity + b.Fees, b.Earned);
        // floor(2000 / 3) tokens, all of it charged to the small host, though it came out of the operator's vesting.
        Assert.Equal(Units(66_666_666_666), s.Slashed);
        Assert.Equal((TokenAmount.Zero, TokenAmount.Zero), (b.Slashed, b.Credited));
    }

    [Fact]
    public void Plan_NothingEarnedOrTaken_NoEarnings()
    {
        var plan = Planner.Plan(Empty() with { Hosts = [StakedHost(1, 1, uptime: 0)] });

        Assert.Empty(plan.Earnings);
    }

    [Fact]
    public void Plan_ALeaseOnAContainerNotInTheEpoch_ItsFeeStillListedUnderItsHost()
    {
        // Host(5) served lease-5 but is not among the epoch's containers (it was removed meanwhile).
        var plan = Planner.Plan(Empty() with { Hosts = [StakedHost(1, 1, uptime: 0)], Leases = [Reserve("lease-5", operatorWallet: 5, customer: 9, charge: 10, escrow: 10)] });

        var row = Assert.Single(plan.Earnings);
        Assert.Equal((Host(5), Wallet(5), Tokens(8)), (row.Host, row.Operator, row.Fees));
    }
}

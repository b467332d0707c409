using Gpunet.Core.Economics;
using Gpunet.Core.Identity;
using static Gpunet.Core.Tests.Economics.Economy;

namespace Gpunet.Core.Tests.Economics;

public sealed class VestingChangesTests
{
    private static readonly EpochSettlementPlanner Planner = new(Defaults);

    [Fact]
    public void Settle_TranchesKeptAsWrittenAndReleasedFromTime_SamePlansAsRewritingEveryTrancheEveryEpoch()
    {
        // 60 daily epochs (past the 45-day vesting period, so tranches are dropped) with fees, rewards and two slashes
        // that take from vesting. Chain "rewritten" feeds each plan's tranches to the next, as a store that rewrote every
        // tranche every epoch did; chain "stored" keeps only what VestingChanges says changed, and computes what each
        // tranche has released from time.
        var rewritten = new List<VestingTranche>();
        var stored = new Dictionary<(Address, long), VestingTranche>();
        for (var epoch = Epoch; epoch < Epoch + 60; epoch++)
        {
            var inputs = Inputs(epoch);
            var a = Planner.Plan(inputs with { Tranches = rewritten });
            var asOf = stored.Values.Select(t => t.AsOf(Start(epoch), Defaults.VestingPeriod)).ToList();
            Assert.Equal(Sorted(rewritten), Sorted(asOf));
            var b = Planner.Plan(inputs with { Tranches = asOf });

            Assert.Equal(a.Transfers, b.Transfers);
            Assert.Equal(a.Totals, b.Totals);
            var changes = VestingChanges.Between(asOf, b.Tranches, epoch);
            foreach (var (owner, earned) in changes.Removed)
                Assert.True(stored.Remove((owner, earned)));
            foreach (var t in changes.Inserted.Concat(changes.Updated))
                stored[(t.Owner, t.Epoch)] = t;
            rewritten = [.. a.Tranches];
        }

        // Three operators earned in 60 epochs; the tranches of the first 15 or so have fully vested and are gone from both.
        Assert.Equal(rewritten.Count, stored.Count);
        Assert.InRange(stored.Count, 1, (3 * 60) - 30);
    }

    [Fact]
    public void Between_OnlyNewSlashedAndFullyReleasedTranchesChange()
    {
        var old = new VestingTranche(Wallet(1), Epoch - 50, Tokens(90), Tokens(80), Start(Epoch - 49));
        var vesting = new VestingTranche(Wallet(1), Epoch - 5, Tokens(90), Tokens(10), Start(Epoch - 4));
        var slashed = new VestingTranche(Wallet(2), Epoch - 5, Tokens(90), Tokens(10), Start(Epoch - 4));
        var fresh = new VestingTranche(Wallet(1), Epoch, Tokens(5), Tokens(0), End());

        var changes = VestingChanges.Between([old, vesting, slashed],
            [vesting with { Released = Tokens(20) }, slashed with { Amount = Tokens(40), Released = Tokens(20) }, fresh], Epoch);

        Assert.Equal([fresh], changes.Inserted);
        Assert.Equal([slashed with { Amount = Tokens(40), Released = Tokens(20) }], changes.Updated);
        Assert.Equal([(Wallet(1), Epoch - 50)], changes.Removed);
    }

    [Fact]
    public void AsOf_ReleasedIsWhatVestedByThen_NeverLessThanWritten()
    {
        var t = new VestingTranche(Wallet(1), Epoch, Tokens(45), Tokens(0), End());

        Assert.Equal(Tokens(9), t.AsOf(End().AddDays(9), Defaults.VestingPeriod).Released);
        Assert.Equal(Tokens(45), t.AsOf(End().AddDays(50), Defaults.VestingPeriod).Released);
        Assert.Equal(Tokens(30), (t with { Released = Tokens(30) }).AsOf(End().AddDays(9), Defaults.VestingPeriod).Released);
    }

    private static EpochInputs Inputs(long epoch)
    {
        var n = epoch - Epoch;
        var hosts = new List<HostEpoch> { StakedHost(1, 1, gpus: 1), StakedHost(2, 2, gpus: 2, uptime: 40_000 + (n * 100)), StakedHost(3, 3, served: 5_000) };
        var leases = new List<LeaseEpoch> { Reserve($"lease-{n}-a", 1, 9, 100 + n, 200) };
        if (n % 2 == 0)
            leases.Add(Reserve($"lease-{n}-b", 2, 9, 7.5m, 7.5m));
        var slashes = n is 10 or 30 ? new List<SlashEvent> { new(n, Host(1), Wallet(1), SlashKind.Downtime, "offline while serving", End(epoch)) } : [];
        return Empty(epoch) with { EmissionPoolBalance = Tokens(10_000_000), Hosts = hosts, Leases = leases, Slashes = slashes };
    }

    private static List<VestingTranche> Sorted(IEnumerable<VestingTranche> tranches) =>
        [.. tranches.OrderBy(t => t.Owner.Value, StringComparer.Ordinal).ThenBy(t => t.Epoch)];
}

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Tests.Economics;

public sealed class EpochSettlementPlannerPropertyTests
{
    private static readonly EpochSettlementPlanner Planner = new(new EconomicsOptions());

    [Property(MaxTest = 300)]
    public Property Plan_RandomEpoch_AppliesToAFundedLedgerThatStaysBalanced() =>
        Prop.ForAll(EpochGen.InputsGen.ToArbitrary(), inputs =>
        {
            var plan = Planner.Plan(inputs);
            var ledger = new EconomyLedger();
            ledger.FundFor(inputs);

            var results = ledger.Apply(plan.Transfers);
            for (var i = 0; i < results.Length; i++)
            {
                // Only a new hold may fail: the customer may not have the funds (the coordinator then ends the lease).
                var t = plan.Transfers[i];
                if (t.Flags == TransferFlags.Pending && results[i] == TransferResult.InsufficientFunds)
                    continue;
                Assert.True(results[i] == TransferResult.Ok, $"{t.Code.Name()} {t.Debit} → {t.Credit} {t.Amount}: {results[i]}");
            }

            var audit = LedgerAudit.Verify(ledger.Book);
            Assert.True(audit.Balanced, string.Join("; ", audit.Problems));

            // Never more than the schedule out of the pool, and the totals say what moved.
            var pool = AccountKey.Network(AccountPurpose.EmissionPool);
            var fromPool = plan.Transfers.Where(t => t.Debit == pool).Sum(t => t.Amount.BaseUnits);
            Assert.True(fromPool <= Planner.Emission.For(inputs.Epoch, inputs.EmissionPoolBalance).BaseUnits);
            Assert.Equal(fromPool, plan.Totals.Emission.BaseUnits);
            Assert.Equal(inputs.EmissionPoolBalance.BaseUnits - fromPool, ledger.Balance(pool).BaseUnits);
            Assert.Equal(plan.Totals.Slashed, ledger.Balance(AccountKey.Network(AccountPurpose.Slashed)));
            Assert.Equal(plan.Totals.ProtocolFees, ledger.Balance(AccountKey.Network(AccountPurpose.Treasury)));
            Assert.Equal(plan.Totals.Fees, plan.Totals.HostFees + plan.Totals.ProtocolFees);

            // Per container, the earnings add up to what the epoch moved, and each names the container's operator.
            long Sum(Func<HostEarning, TokenAmount> of) => plan.Earnings.Sum(e => of(e).BaseUnits);
            Assert.Equal((plan.Totals.CapacityRewards.BaseUnits, plan.Totals.DeliveryRewards.BaseUnits, plan.Totals.HostFees.BaseUnits,
                    plan.Totals.Slashed.BaseUnits, plan.Totals.SlaCredits.BaseUnits),
                (Sum(e => e.Capacity), Sum(e => e.Delivery), Sum(e => e.Fees), Sum(e => e.Slashed), Sum(e => e.Credited)));
            Assert.Equal(plan.Earnings.Count, plan.Earnings.Select(e => e.Host).Distinct().Count());

            // Every operator's vesting balance is what its remaining tranches have not released.
            var owners = inputs.Tranches.Select(t => t.Owner).Concat(inputs.Hosts.Select(h => h.Operator)).Concat(inputs.Leases.Select(l => l.Operator)).Distinct();
            foreach (var owner in owners)
            {
                var unreleased = plan.Tranches.Where(t => t.Owner == owner).Sum(t => (t.Amount - t.Released).BaseUnits);
                Assert.Equal(unreleased, ledger.Balance(AccountKey.Participant(owner, AccountPurpose.Vesting)).BaseUnits);
            }

            Assert.All(plan.Tranches, t => Assert.True(t.Released < t.Amount));

            // Paused containers: exactly those whose stake account is now below what they must stake.
            var below = inputs.Hosts.Where(h => ledger.Balance(AccountKey.HostStake(h.Host)) < h.RequiredStake).Select(h => h.Host).ToHashSet();
            Assert.Equal(below, plan.BelowStake.ToHashSet());
        });

    [Property(MaxTest = 200)]
    public Property Plan_InputsShuffled_SamePlan() =>
        Prop.ForAll(EpochGen.InputsGen.ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (inputs, seed) =>
        {
            static T[] Shuffle<T>(IReadOnlyList<T> items, int seed) =>
                [.. items.Select((x, i) => (x, Key: unchecked((i + 1) * (seed | 1) * 2654435761u))).OrderBy(p => p.Key).Select(p => p.x)];

            var shuffled = inputs with
            {
                Hosts = Shuffle(inputs.Hosts, seed),
                Leases = Shuffle(inputs.Leases, seed),
                Checkers = Shuffle(inputs.Checkers, seed),
                Tranches = Shuffle(inputs.Tranches, seed),
                Unbonding = Shuffle(inputs.Unbonding, seed),
                Slashes = Shuffle(inputs.Slashes, seed),
            };

            var a = Planner.Plan(inputs);
            var b = Planner.Plan(shuffled);

            Assert.Equal(a.Transfers, b.Transfers);
            Assert.Equal(a.Tranches, b.Tranches);
            Assert.Equal(a.ReleasedUnbonding, b.ReleasedUnbonding);
            Assert.Equal(a.BelowStake, b.BelowStake);
            Assert.Equal(a.NewHolds, b.NewHolds);
            Assert.Equal(a.Totals, b.Totals);
            Assert.Equal(a.Earnings, b.Earnings);
        });
}

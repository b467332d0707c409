using FsCheck;
using FsCheck.Fluent;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;
using static Gpunet.Core.Tests.Economics.Economy;

namespace Gpunet.Core.Tests.Economics;

/// <summary>FsCheck generators of whole epochs: containers, leases of both kinds, checkers, tranches, unbonding and
/// slashes among a few wallets (operators 1–4, customers 5–7, checkers 8–11), so that operators share tranches,
/// customers share balances and hosts are slashed more than once.</summary>
internal static class EpochGen
{
    // Zero, dust, everyday amounts and large ones, in base units.
    private static readonly Gen<long> AmountGen = Gen.Frequency(
        (2, Gen.Constant(0L)),
        (2, Gen.Choose(1, 1000).Select(a => (long)a)),
        (6, Gen.Choose(1, 1_000_000).Select(a => a * 10_000L)),
        (1, Gen.Choose(1, 100_000).Select(a => a * TokenAmount.BaseUnitsPerToken)));

    private static readonly Gen<int> OperatorGen = Gen.Choose(1, 4);

    private static Gen<HostEpoch> HostGen(int n) =>
        from op in OperatorGen
        from gpus in Gen.Choose(0, 8)
        from stakedShift in Gen.Frequency((5, Gen.Constant(0L)), (1, Gen.Choose(-100, 100).Select(d => d * 1_000_000L)))
        from uptime in Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Choose(0, 86_400)))
        from served in Gen.Frequency((1, Gen.Constant(0)), (3, Gen.Choose(0, 8 * 86_400)))
        let required = Tokens(1000m * gpus)
        select new HostEpoch(Host(n), Wallet(op), required, Units(Math.Max(0, required.BaseUnits + stakedShift)), 1000L * gpus, uptime, served);

    private static Gen<LeaseEpoch> LeaseGen(int n) =>
        from op in OperatorGen
        from customer in Gen.Choose(5, 7)
        from reserve in Gen.Elements(true, false)
        from charge in AmountGen
        from escrow in AmountGen
        from hasHold in Gen.Frequency((1, Gen.Constant(false)), (4, Gen.Constant(true)))
        from hold in AmountGen.Select(a => Math.Max(1, a))
        from next in AmountGen
        from ended in Gen.Elements(true, false)
        from fault in Gen.Elements(true, false)
        select new LeaseEpoch(
            $"lease-{n}", Host(op), Wallet(op), Wallet(customer), reserve, Units(charge), reserve ? Units(escrow) : TokenAmount.Zero,
            !reserve && hasHold ? TransferId.FromParts(2, (ulong)n + 1) : null,
            !reserve && hasHold ? Units(hold) : TokenAmount.Zero,
            !reserve && !ended ? Units(next) : TokenAmount.Zero,
            ended, reserve && fault);

    private static Gen<VestingTranche> TrancheGen(long epoch) =>
        from owner in OperatorGen
        from age in Gen.Choose(0, 60)
        from amount in AmountGen
        from releasedPercent in Gen.Choose(0, 100)
        let start = End(epoch) - TimeSpan.FromDays(age) - TimeSpan.FromHours(age % 5)
        select new VestingTranche(Wallet(owner), epoch - age, Units(amount), Units(amount * releasedPercent / 100), start);

    private static Gen<UnbondingEntry> UnbondingGen(int id, long epoch) =>
        from owner in Gen.Choose(1, 7)
        from amount in AmountGen
        from days in Gen.Choose(-3, 3)
        select new UnbondingEntry(id, Wallet(owner), Host(owner), Units(amount), End(epoch) + TimeSpan.FromDays(days));

    private static Gen<SlashEvent> SlashGen(int id, HostEpoch[] hosts) =>
        from pick in Gen.Choose(0, hosts.Length - 1)
        from kind in Gen.Frequency((3, Gen.Constant(SlashKind.Downtime)), (1, Gen.Constant(SlashKind.Deceit)))
        from otherOperator in Gen.Frequency((4, Gen.Constant(0)), (1, OperatorGen))
        select new SlashEvent(id, hosts[pick].Host, otherOperator == 0 ? hosts[pick].Operator : Wallet(otherOperator), kind, "generated", End());

    private static Gen<T[]> Numbered<T>(int count, Func<int, Gen<T>> gen) =>
        Gen.CollectToArray(Enumerable.Range(0, count), gen);

    public static readonly Gen<EpochInputs> InputsGen =
        from epoch in Gen.Frequency((3, Gen.Choose(100, 30_000)), (1, Gen.Choose(0, 3)))
        from poolKind in Gen.Choose(0, 3)
        from hostCount in Gen.Choose(0, 6)
        from hosts in Numbered(hostCount, HostGen)
        from leaseCount in Gen.Choose(0, 8)
        from leases in Numbered(leaseCount, LeaseGen)
        from checkerCount in Gen.Choose(0, 4)
        from reports in Gen.ArrayOf(Gen.Choose(0, 50).Select(r => (long)r), checkerCount)
        from trancheCount in Gen.Choose(0, 6)
        from tranches in Numbered(trancheCount, _ => TrancheGen(epoch))
        from unbondingCount in Gen.Choose(0, 4)
        from unbonding in Numbered(unbondingCount, i => UnbondingGen(i + 1, epoch))
        from slashCount in Gen.Choose(0, hostCount == 0 ? 0 : 4)
        from slashes in Numbered(slashCount, i => SlashGen(i + 1, hosts))
        let pool = poolKind switch
        {
            0 => TokenAmount.Zero,
            1 => Units(12_345),
            _ => new EmissionSchedule(Defaults).PoolAtGenesis,
        }
        select new EpochInputs(
            epoch, Start(epoch), End(epoch), pool, hosts, leases,
            [.. reports.Select((r, i) => new CheckerEpoch(Wallet(8 + i), r))],
            tranches, unbonding, slashes);
}

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>Plans one epoch's settlement: rewards, fees, refunds, holds, slashes and releases, as ledger transfers.</summary>
/// <remarks>
/// <para>Pure: the same inputs, in any order, give the same plan, transfer ids included, so a settlement that is
/// planned and applied twice posts once. Money is never created or lost: every split sums exactly to its input
/// (<see cref="ProRata"/>, <see cref="FeeSplit"/>). The rules, in the order their transfers are listed:</para>
/// <list type="number">
/// <item><b>Emission.</b> E = <see cref="EmissionSchedule.For"/>(epoch, pool balance), split 60/30/10 (by default) into
/// capacity, delivery and checker shares. Only containers with Staked ≥ RequiredStake earn: capacity by
/// CapacityUnits × UptimeSeconds (offline time earns nothing), delivery by ServedGpuSeconds; checkers by correct
/// reports. A share with no eligible weight is not emitted and stays in the pool. A container's capacity and delivery
/// rewards go emission pool → the operator's vesting in one transfer (reward); checker rewards go to the checker's
/// available balance (checkers do not vest).</item>
/// <item><b>Leases</b>, by lease id. On-demand: the open hold is posted for min(charge, hold) (code escrow-charge; a
/// charge beyond the hold is not collected) or voided when that is zero (escrow-refund, amount 0); a lease that goes on
/// gets a new pending hold customer available → lease escrow for its next period (escrow-hold, listed in
/// <see cref="EpochSettlement.NewHolds"/>). Reserve: min(charge, escrow) is charged; when the lease ended, the unused
/// escrow is refunded to the customer, or charged too when the customer was at fault. What is charged is split by
/// <see cref="FeeSplit"/> (default 80 % host-fee to the operator's vesting, 20 % protocol-fee to the treasury).</item>
/// <item><b>Per container</b>, what it earned (capacity, delivery, fees) and gave up (slashes, SLA credits) is
/// listed in <see cref="EpochSettlement.Earnings"/>: the transfers name the operator's vesting, not the container.</item>
/// <item><b>Vesting tranche.</b> Each operator's host fees and rewards of the epoch form one new
/// <see cref="VestingTranche"/> that starts vesting at the epoch's end.</item>
/// <item><b>SLA credits</b>, by lease id: the claim's percent of the lease's fees this month (earlier epochs' and this
/// one's), less what was credited earlier in the month, never negative; taken like a slash (vesting, then stake) into the
/// customer's available balance (sla-credit). What the host cannot cover is reported unpaid.</item>
/// <item><b>Slashes</b>, by id: floor(required stake × fraction) (downtime 1/3, deceit 1 by default), taken first from
/// the operator's unreleased vesting, newest tranche first (this epoch's included), then from the container's stake
/// account, never more than either holds, into <c>network:slashed</c>. A container whose stake is then below its
/// required stake, slashed or not, is listed in <see cref="EpochSettlement.BelowStake"/> (paused until topped up).</item>
/// <item><b>Vesting release.</b> Per operator, Σ releasable at the epoch's end moves vesting → available in one
/// transfer; fully released tranches are dropped.</item>
/// <item><b>Unbonding.</b> Entries whose release time is at or before the epoch's end move unbonding → available.</item>
/// </list>
/// <para>Transfer ids are <c>(0x4550_0000_0000_0000 | epoch, code &lt;&lt; 40 | n)</c>, n counting each code's
/// transfers from 1. Everything is dictionaries and sorts: 100,000 containers and 100,000 leases plan in well under a
/// second.</para>
/// </remarks>
public sealed class EpochSettlementPlanner
{
    /// <summary>The high 16 bits of every settlement transfer id: "EP".</summary>
    public const ulong IdPrefix = 0x4550_0000_0000_0000UL;

    /// <summary>The largest epoch a settlement id can carry: 2^48 − 1.</summary>
    public const long MaxEpoch = (1L << 48) - 1;

    /// <summary>The epoch whose settlement made transfer <paramref name="id"/>, or null when a settlement did not make it.</summary>
    public static long? EpochOf(TransferId id) =>
        (id.High & 0xFFFF_0000_0000_0000UL) == IdPrefix ? (long)(id.High & 0xFFFF_FFFF_FFFFUL) : null;

    private static readonly AccountKey EmissionPool = AccountKey.Network(AccountPurpose.EmissionPool);
    private static readonly AccountKey Treasury = AccountKey.Network(AccountPurpose.Treasury);
    private static readonly AccountKey SlashedAccount = AccountKey.Network(AccountPurpose.Slashed);
    private static readonly IComparer<VestingTranche> TrancheOrder = Comparer<VestingTranche>.Create(CompareTranches);

    private readonly EconomicsOptions _options;

    /// <summary>A planner with these options; throws <see cref="ArgumentException"/> listing what is wrong with them.</summary>
    public EpochSettlementPlanner(EconomicsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new ArgumentException("invalid economics options: " + string.Join("; ", problems), nameof(options));
        _options = options;
        Emission = new EmissionSchedule(options);
    }

    /// <summary>The emission schedule the plans follow.</summary>
    public EmissionSchedule Emission { get; }

    /// <summary>The settlement of one epoch (see the type's remarks for the rules).</summary>
    /// <exception cref="ArgumentException">Inconsistent inputs: a duplicate container, lease, checker, slash or
    /// unbonding id; a slash of a container not in the epoch; a negative weight; an epoch out of range.</exception>
    // Optimised from the first call: a coordinator plans once an epoch (a day), so these loops over 100,000 containers
    // and leases never run warm, and tiered compilation's first tier took about twice as long (bench ledger: plan
    // 1.45 to 1.74 s of CPU in a coordinator's first settlement, 0.6 to 0.75 s in a second one in the same process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public EpochSettlement Plan(EpochInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Epoch is < 0 or > MaxEpoch)
            throw new ArgumentException($"epoch {inputs.Epoch} is not from 0 to {MaxEpoch}", nameof(inputs));
        if (inputs.End < inputs.Start)
            throw new ArgumentException("the epoch ends before it starts", nameof(inputs));

        var hosts = UniqueSorted.By(inputs.Hosts, static h => HostKey(h.Host), "container");
        var keys = Array.ConvertAll(hosts, static h => HostKey(h.Host));
        // Room for every transfer a typical epoch plans, so the list is not regrown and copied.
        var plan = new TransferPlan(inputs.Epoch, (2 * inputs.Hosts.Count) + (4 * inputs.Leases.Count) + inputs.Checkers.Count
            + (2 * inputs.Slashes.Count) + inputs.Unbonding.Count + inputs.Hosts.Count, new HostEarnings(hosts, keys));
        var earned = new Dictionary<Address, long>();

        PlanEmission(inputs, hosts, plan, earned);
        var charged = inputs.Credits is { Count: > 0 } ? new Dictionary<string, TokenAmount>(StringComparer.Ordinal) : null;
        var newHolds = PlanLeases(inputs, plan, earned, charged);

        // c. One new tranche per operator with fees or rewards this epoch.
        var tranches = new Dictionary<Address, List<VestingTranche>>(earned.Count);
        List<VestingTranche>? last = null;
        foreach (var t in inputs.Tranches)
        {
            // A store returns an owner's tranches together: then only the first of them is looked up.
            if (last is null || !string.Equals(last[0].Owner.Value, t.Owner.Value, StringComparison.Ordinal))
                last = ListOf(tranches, t.Owner);
            last.Add(t);
        }

        foreach (var (owner, amount) in earned)
        {
            if (amount > 0)
                ListOf(tranches, owner).Add(new VestingTranche(owner, inputs.Epoch, TokenAmount.FromBaseUnits(amount), TokenAmount.Zero, inputs.End));
        }

        foreach (var list in tranches.Values)
        {
            if (!UniqueSorted.InOrder(list, TrancheOrder))
                list.Sort(TrancheOrder);
        }

        var forfeits = new HostForfeits(hosts, keys, tranches);
        var credits = PlanCredits(inputs, charged, forfeits, plan);
        var belowStake = PlanSlashes(inputs, hosts, forfeits, plan);
        var kept = PlanVestingRelease(inputs.End, tranches, plan);
        var released = PlanUnbonding(inputs, plan);

        var t0 = plan.Totals;
        var totals = new EpochTotals(
            Fees: Amount(t0.HostFees + t0.ProtocolFees),
            HostFees: Amount(t0.HostFees),
            ProtocolFees: Amount(t0.ProtocolFees),
            Emission: Amount(t0.Capacity + t0.Delivery + t0.Checker),
            CapacityRewards: Amount(t0.Capacity),
            DeliveryRewards: Amount(t0.Delivery),
            CheckerRewards: Amount(t0.Checker),
            Slashed: Amount(t0.Slashed),
            Refunds: Amount(t0.Refunds),
            VestingReleased: Amount(t0.Vesting),
            UnbondingReleased: Amount(t0.Unbonding),
            Hosts: inputs.Hosts.Count,
            Leases: inputs.Leases.Count,
            SlaCredits: Amount(t0.Credited));
        return new EpochSettlement(inputs.Epoch, plan.Transfers, kept, released, belowStake, newHolds, totals, credits, plan.Earnings.ToList());
    }

    // a. Emission: capacity and delivery shares among fully staked containers, checker share by correct reports.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see Plan
    private void PlanEmission(EpochInputs inputs, HostEpoch[] hosts, TransferPlan plan, Dictionary<Address, long> earned)
    {
        var emission = Emission.For(inputs.Epoch, inputs.EmissionPoolBalance);
        var capacityPool = TokenAmount.FromBaseUnits((long)decimal.Floor(emission.BaseUnits * _options.CapacityRewardShare));
        var deliveryPool = TokenAmount.FromBaseUnits((long)decimal.Floor(emission.BaseUnits * _options.DeliveryRewardShare));
        var checkerPool = emission - capacityPool - deliveryPool; // the shares sum to 1 (validated): rounding goes here

        var eligible = Array.FindAll(hosts, static h => h.Staked >= h.RequiredStake);
        var capacityWeights = new long[eligible.Length];
        var deliveryWeights = new long[eligible.Length];
        for (var i = 0; i < eligible.Length; i++)
        {
            var h = eligible[i];
            if (h.CapacityUnits < 0 || h.UptimeSeconds < 0 || h.ServedGpuSeconds < 0)
                throw new ArgumentException($"container {h.Host} has a negative capacity, uptime or served time", nameof(inputs));
            capacityWeights[i] = checked(h.CapacityUnits * h.UptimeSeconds);
            deliveryWeights[i] = h.ServedGpuSeconds;
        }

        var capacity = ProRata.Split(capacityPool, capacityWeights);
        var delivery = ProRata.Split(deliveryPool, deliveryWeights);
        for (var i = 0; i < eligible.Length; i++)
        {
            // One transfer per container for both kinds: a settlement's rows are its cost (issue 17).
            if (plan.Move(EmissionPool, Vesting(eligible[i].Operator), capacity[i] + delivery[i], TransferCode.Reward))
            {
                plan.Totals.Capacity += capacity[i].BaseUnits;
                plan.Totals.Delivery += delivery[i].BaseUnits;
                plan.Earnings.Reward(eligible[i].Host, eligible[i].Operator, capacity[i], delivery[i]);
                Earn(earned, eligible[i].Operator, capacity[i] + delivery[i]);
            }
        }

        var checkers = UniqueSorted.By(inputs.Checkers, static c => c.Checker.Value, "checker");
        var reports = new long[checkers.Length];
        for (var i = 0; i < checkers.Length; i++)
        {
            reports[i] = checkers[i].CorrectReports >= 0
                ? checkers[i].CorrectReports
                : throw new ArgumentException($"checker {checkers[i].Checker} has a negative report count", nameof(inputs));
        }

        var paid = ProRata.Split(checkerPool, reports);
        for (var i = 0; i < checkers.Length; i++)
        {
            if (plan.Move(EmissionPool, AccountKey.Participant(checkers[i].Checker, AccountPurpose.Available), paid[i], TransferCode.CheckerReward))
                plan.Totals.Checker += paid[i].BaseUnits;
        }
    }

    // b. Leases: post or void the open on-demand hold, charge reserve escrow, split the fee, refund, hold ahead.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see Plan
    private List<LeaseHold> PlanLeases(EpochInputs inputs, TransferPlan plan, Dictionary<Address, long> earned, Dictionary<string, TokenAmount>? chargedByLease)
    {
        var newHolds = new List<LeaseHold>();
        foreach (var lease in UniqueSorted.By(inputs.Leases, static l => l.LeaseId, "lease"))
        {
            var escrow = AccountKey.LeaseEscrow(lease.LeaseId);
            var customer = AccountKey.Participant(lease.Customer, AccountPurpose.Available);
            TokenAmount charged;
            var refund = TokenAmount.Zero;
            if (lease.Reserve)
            {
                charged = Min(lease.Charge, lease.Escrow);
                if (lease.Ended)
                {
                    var unused = lease.Escrow - charged;
                    if (lease.CustomerAtFault)
                        charged += unused;
                    else
                        refund = unused;
                }
            }
            else
            {
                charged = TokenAmount.Zero;
                if (lease.OpenHold is { } hold)
                {
                    charged = Min(lease.Charge, lease.HoldAmount);
                    if (charged.IsZero)
                        plan.Add(customer, escrow, TokenAmount.Zero, TransferCode.EscrowRefund, TransferFlags.VoidPending, hold);
                    else
                        plan.Add(customer, escrow, charged, TransferCode.EscrowCharge, TransferFlags.PostPending, hold);
                }
            }

            chargedByLease?.Add(lease.LeaseId, charged);
            var (hostFee, protocolFee) = FeeSplit.Split(charged, _options.ProtocolFeeShare);
            if (plan.Move(escrow, Vesting(lease.Operator), hostFee, TransferCode.HostFee))
            {
                plan.Totals.HostFees += hostFee.BaseUnits;
                plan.Earnings.Fee(lease.Host, lease.Operator, hostFee);
                Earn(earned, lease.Operator, hostFee);
            }

            if (plan.Move(escrow, Treasury, protocolFee, TransferCode.ProtocolFee))
                plan.Totals.ProtocolFees += protocolFee.BaseUnits;
            if (plan.Move(escrow, customer, refund, TransferCode.EscrowRefund))
                plan.Totals.Refunds += refund.BaseUnits;

            if (!lease.Reserve && !lease.Ended && !lease.NextHold.IsZero)
            {
                var id = plan.Add(customer, escrow, lease.NextHold, TransferCode.EscrowHold, TransferFlags.Pending);
                newHolds.Add(new LeaseHold(lease.LeaseId, id, lease.NextHold));
            }
        }

        return newHolds;
    }

    // d. SLA credits, by lease id, before slashes: the customer is paid back before the network takes its share.
    private static List<SlaCreditPaid> PlanCredits(EpochInputs inputs, Dictionary<string, TokenAmount>? charged, HostForfeits forfeits, TransferPlan plan)
    {
        var paid = new List<SlaCreditPaid>();
        if (inputs.Credits is not { Count: > 0 } claims)
            return paid;
        foreach (var claim in UniqueSorted.By(claims, static c => c.LeaseId, "credit"))
        {
            var fees = claim.FeesBefore + (charged?.GetValueOrDefault(claim.LeaseId) ?? TokenAmount.Zero);
            var due = Sla.SlaCredits.Due(fees, claim.Percent);
            var owed = Sla.SlaCredits.Outstanding(due, claim.CreditedBefore);
            var (fromVesting, fromStake) = forfeits.Take(forfeits.IndexOf(claim.Host), claim.Operator, owed);
            var customer = AccountKey.Participant(claim.Customer, AccountPurpose.Available);
            var ids = new List<TransferId>(2);
            if (!fromVesting.IsZero)
                ids.Add(plan.Add(Vesting(claim.Operator), customer, fromVesting, TransferCode.SlaCredit));
            if (!fromStake.IsZero)
                ids.Add(plan.Add(AccountKey.HostStake(claim.Host), customer, fromStake, TransferCode.SlaCredit));
            plan.Totals.Credited += (fromVesting + fromStake).BaseUnits;
            if (!(fromVesting + fromStake).IsZero)
                plan.Earnings.Credit(claim.Host, claim.Operator, fromVesting + fromStake);
            paid.Add(new SlaCreditPaid(claim.LeaseId, fees, due, fromVesting + fromStake, owed - fromVesting - fromStake, ids));
        }

        return paid;
    }

    // e. Slashes: unreleased vesting first (newest tranche first), then the container's stake.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see Plan
    private List<HostId> PlanSlashes(EpochInputs inputs, HostEpoch[] hosts, HostForfeits forfeits, TransferPlan plan)
    {
        foreach (var slash in UniqueSorted.By(inputs.Slashes, static s => s.Id, "slash"))
        {
            var index = forfeits.IndexOf(slash.Host);
            if (index < 0)
                throw new ArgumentException($"slash {slash.Id} is of container {slash.Host}, which is not in the epoch's containers", nameof(inputs));
            var host = hosts[index];
            var fraction = slash.Kind == SlashKind.Deceit ? _options.DeceitSlashFraction : _options.DowntimeSlashFraction;
            var (fromVesting, fromStake) = forfeits.Take(index, slash.Operator, fraction.Of(host.RequiredStake));
            if (plan.Move(Vesting(slash.Operator), SlashedAccount, fromVesting, TransferCode.Slash))
                plan.Totals.Slashed += fromVesting.BaseUnits;
            if (plan.Move(AccountKey.HostStake(slash.Host), SlashedAccount, fromStake, TransferCode.Slash))
                plan.Totals.Slashed += fromStake.BaseUnits;
            if (!(fromVesting + fromStake).IsZero)
                plan.Earnings.Slash(slash.Host, slash.Operator, fromVesting + fromStake);
        }

        var below = new List<HostId>();
        for (var i = 0; i < hosts.Length; i++)
        {
            if (forfeits.StakeLeft(i) < hosts[i].RequiredStake)
                below.Add(hosts[i].Host);
        }

        return below;
    }

    // f. Vesting release: one transfer per operator; fully released tranches are dropped.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see Plan
    private List<VestingTranche> PlanVestingRelease(DateTimeOffset end, Dictionary<Address, List<VestingTranche>> tranches, TransferPlan plan)
    {
        var kept = new List<VestingTranche>(tranches.Values.Sum(l => l.Count));
        var owners = tranches.Keys.ToArray();
        Array.Sort(owners, static (a, b) => string.CompareOrdinal(a.Value, b.Value));
        foreach (var owner in owners)
        {
            var released = TokenAmount.Zero;
            foreach (var t in tranches[owner])
            {
                var r = t.ReleasableAt(end, _options.VestingPeriod);
                released += r;
                var after = r.IsZero ? t : t with { Released = t.Released + r };
                if (after.Released < after.Amount)
                    kept.Add(after);
            }

            if (plan.Move(Vesting(owner), AccountKey.Participant(owner, AccountPurpose.Available), released, TransferCode.VestingRelease))
                plan.Totals.Vesting += released.BaseUnits;
        }

        return kept;
    }

    // g. Unbonding: entries due by the epoch's end.
    private static List<long> PlanUnbonding(EpochInputs inputs, TransferPlan plan)
    {
        var released = new List<long>();
        foreach (var entry in UniqueSorted.By(inputs.Unbonding, static u => u.Id, "unbonding"))
        {
            if (entry.ReleaseAt > inputs.End)
                continue;
            released.Add(entry.Id);
            if (plan.Move(AccountKey.Participant(entry.Owner, AccountPurpose.Unbonding), AccountKey.Participant(entry.Owner, AccountPurpose.Available), entry.Amount, TransferCode.UnbondingRelease))
                plan.Totals.Unbonding += entry.Amount.BaseUnits;
        }

        return released;
    }

    private static AccountKey Vesting(Address owner) => AccountKey.Participant(owner, AccountPurpose.Vesting);

    private static void Earn(Dictionary<Address, long> earned, Address owner, TokenAmount amount)
    {
        ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(earned, owner, out _);
        sum = checked(sum + amount.BaseUnits);
    }

    private static List<VestingTranche> ListOf(Dictionary<Address, List<VestingTranche>> tranches, Address owner)
    {
        ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(tranches, owner, out _);
        return list ??= [];
    }

    // Oldest first; every field takes part, so equal tranches are interchangeable and input order does not matter.
    private static int CompareTranches(VestingTranche a, VestingTranche b)
    {
        var c = a.Epoch.CompareTo(b.Epoch);
        if (c == 0)
            c = a.Start.UtcTicks.CompareTo(b.Start.UtcTicks);
        if (c == 0)
            c = a.Amount.CompareTo(b.Amount);
        return c != 0 ? c : a.Released.CompareTo(b.Released);
    }

    // host- and 12 lower-case hex digits: as a number it sorts exactly as the id does (ordinal), and faster.
    internal static long HostKey(HostId host) =>
        long.Parse(host.Value.AsSpan(5), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    private static TokenAmount Min(TokenAmount a, TokenAmount b) => a < b ? a : b;

    private static TokenAmount Amount(long baseUnits) => TokenAmount.FromBaseUnits(baseUnits);
}

using System.Diagnostics;
using System.Text.Json;
using Gpunet.Coordinator.Leadership;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Metering;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.Core.Sla;
using Gpunet.Core.Verification;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Settles every epoch once it has ended: fees from metered usage, rewards from emission, slashes, vesting and
/// unbonding releases, by the rules of <see cref="EpochSettlementPlanner"/>.</summary>
/// <remarks>
/// <para>Exactly once: an epoch's transfers, its row in <c>epochs</c> (keyed by the epoch), the usage rows and slash
/// events it took, the vesting tranches, the released unbonding entries and the leases' billing state all commit in
/// one transaction of the ledger (<see cref="ISettlementStore"/>), or none of it does. A coordinator killed
/// mid-settlement therefore leaves the epoch unsettled, and settles it after restart from the same stored inputs, with
/// the same result; two coordinators that race for one epoch cannot both commit it (the second fails on the epoch's
/// key and reloads). Only the network's leader settles (<see cref="ILeadership"/>), and its commit checks the leader's
/// fencing token in the same transaction, so a leader that lost the lease while it settled (a pause) writes nothing.</para>
/// <para>Inputs come from the store (<see cref="IEpochInputs"/>), never from one coordinator's memory: uptime from the
/// host transitions, usage from accepted usage reports received before the epoch's end, balances from the ledger.</para>
/// <para>Rewards follow verification (<see cref="EpochChecks"/>). Where any checker licence was active during the epoch,
/// a container's capacity weight counts only its verified uptime (<see cref="VerifiedTime"/>); where none was, nobody
/// could have verified anything and plain uptime counts, as on a devnet without checkers. Checkers are paid per report
/// marked correct whose check was decided in the epoch, except reports received while
/// <see cref="MajorityPenaltyPolicy.Default"/> suspended the checker's rewards. A container offline for the daily host SLO's
/// limit or more in the epoch earns no capacity reward for it (<see cref="HostSloRewards"/>); SLA credits owed by hosts
/// (<see cref="IEpochCredits"/>) are paid to customers before slashes.</para>
/// </remarks>
internal sealed partial class EpochService(
    IEpochInputs inputs, ISettlementStore settlements, LedgerService ledger, IUnfundedLeaseEnding leaseEnding, IEpochCredits credits, IHostOfflineTime offlineTime, StakeTable stakes,
    EconomicsOptions economics, TimeProvider time, IOptions<LedgerOptions> options, IOptions<MeteringOptions> metering, IOptions<MarketOptions> market, IOptions<Sla.SlaOptions> sla, ILogger<EpochService> log,
    ILeadership leadership, IEarningsRetention earningsRetention) : BackgroundService
{
    /// <summary>Ids of refunds of escrow taken above a reserve lease's actual price: the settlement's id space with a
    /// bit the planner never sets.</summary>
    private const ulong ExcessRefundBit = 1UL << 39;

    private readonly EpochSettlementPlanner _planner = new(economics);

    /// <summary>The phases of the last settlement this service made (for <c>gpunet bench ledger</c>).</summary>
    internal EpochPhases LastPhases { get; private set; }

    /// <summary>Raised when this coordinator settled an epoch, with where the time went and the planner's totals (for metrics).</summary>
    internal event Action<EpochPhases, Gpunet.Core.Economics.EpochTotals>? Settled;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The network's first epoch is recorded even where this coordinator leaves settlement to others.
        var first = await inputs.FirstEpochAsync(economics.EpochOf(time.GetUtcNow()), stoppingToken);
        if (!options.Value.SettleEpochs)
            return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var next = await inputs.LastSettledAsync(stoppingToken) is { } last ? last + 1 : first;
                var due = economics.EpochStart(next + 1) + options.Value.SettlementDelay;
                var wait = due - time.GetUtcNow();
                // A follower looks again every second: the leader settles, and it may be the leader by then.
                if (wait > TimeSpan.Zero || leadership.Fence is null)
                {
                    await Task.Delay(wait > TimeSpan.Zero && wait < TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1), time, stoppingToken);
                    continue;
                }

                await SettleAsync(next, stoppingToken);
                // Old earnings rows go after a settlement, so at most once an epoch.
                await earningsRetention.SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (LeadershipLostException e)
            {
                LogNotLeader(log, e.Message);
            }
#pragma warning disable CA1031 // a settlement that failed is retried; the loop must outlive it
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(log, e);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    /// <summary>Settles epoch <paramref name="epoch"/> unless it is settled; returns its totals, or null when it was.</summary>
    /// <exception cref="LeadershipLostException">This coordinator does not lead the network.</exception>
    public Task<EpochRecord?> SettleAsync(long epoch, CancellationToken ct) =>
        SettleAsync(epoch, leadership.Fence ?? throw new LeadershipLostException("this coordinator does not lead the network: the leader settles"), ct);

    /// <summary>Settles epoch <paramref name="epoch"/> as the leader <paramref name="fence"/> names; its commit is
    /// refused (<see cref="LeadershipLostException"/>, nothing written) when another coordinator leads by then.</summary>
    internal async Task<EpochRecord?> SettleAsync(long epoch, LeaderFence fence, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var start = economics.EpochStart(epoch);
        var end = economics.EpochStart(epoch + 1);
        if (await inputs.IsSettledAsync(epoch, ct))
            return null;
        var (monthStart, monthLength) = HostSloRewards.MonthOf(start);
        // The month's offline time and the SLA credits owed are read on their own, beside the epoch's inputs.
        var offlineThisMonthRead = offlineTime.OfflineSecondsAsync(monthStart, end, ct);
        var owedRead = credits.ReckonAsync(epoch, start, end, ct);
        var rows = await inputs.ReadAsync(start, end, ct);
        var checks = rows.Checks ?? EpochChecks.None;
        var ready = checks.CheckersLicensed ? VerifiedSeconds(rows.Transitions, checks, start, end) : HostUptime.ReadySeconds(rows.Transitions, start, end);
        // The host SLOs: a container offline for the daily limit or more in the epoch, or beyond the monthly allowance this
        // month, earns no capacity reward for the epoch.
        var offline = HostUptime.OfflineSeconds(rows.Transitions, start, end);
        var offlineThisMonth = await offlineThisMonthRead;
        var slo = sla.Value;
        var hosts = rows.Hosts.Select(h => new HostEpoch(HostIdOf(h.Id), Address.Parse(h.Operator), stakes.RequiredStakeOf(h.Gpus), TokenAmount.Zero,
            HostSloRewards.KeepsCapacityReward(offline.GetValueOrDefault(h.Id), slo.HostDailyOfflineLimit, offlineThisMonth.GetValueOrDefault(h.Id),
                monthLength, slo.HostMonthlyUptime) ? (long)stakes.KOf(h.Gpus) : 0,
            ready.GetValueOrDefault(h.Id), rows.ServedGpuSeconds.GetValueOrDefault(h.Id))).ToList();

        // Balances: the pool, every container's stake, every open lease's escrow.
        var keys = new List<AccountKey> { AccountKey.Network(AccountPurpose.EmissionPool) };
        keys.AddRange(hosts.Select(h => AccountKey.HostStake(h.Host)));
        keys.AddRange(rows.Open.Select(o => AccountKey.LeaseEscrow(o.Billing.LeaseId)));
        var balances = await ledger.AccountsAsync(keys, ct);
        TokenAmount BalanceAt(int i) => balances[i]?.Balance ?? TokenAmount.Zero;
        for (var i = 0; i < hosts.Count; i++)
            hosts[i] = hosts[i] with { Staked = BalanceAt(1 + i) };

        var leases = new List<LeaseEpoch>(rows.Open.Count);
        var refunds = new List<PlannedTransfer>();
        var billing = new Dictionary<string, LeaseBillingRecord>(rows.Open.Count, StringComparer.Ordinal);
        for (var i = 0; i < rows.Open.Count; i++)
        {
            var (lease, after, refund) = Lease(epoch, end, rows.Open[i], rows.UsageMs, BalanceAt(1 + hosts.Count + i));
            leases.Add(lease);
            billing.Add(after.LeaseId, after);
            if (refund is { } r)
            {
                refunds.Add(r with
                {
                    Id = TransferId.FromParts(EpochSettlementPlanner.IdPrefix | (ulong)epoch,
                        ((ulong)(ushort)TransferCode.EscrowRefund << 40) | ExcessRefundBit | (uint)(refunds.Count + 1)),
                });
            }
        }

        var owed = await owedRead;
        var read = clock.Elapsed;
        // A stored tranche is as last written; what it has released is what had vested by the epoch's start.
        var tranches = rows.Tranches.Select(t => t.AsOf(start, economics.VestingPeriod)).ToList();
        var plan = _planner.Plan(new EpochInputs(epoch, start, end, BalanceAt(0), hosts, leases, Checkers(checks), tranches,
            [.. rows.Unbonding.Select((u, i) => new UnbondingEntry(i, Address.Parse(u.Owner), HostIdOf(u.HostId), TokenAmount.FromBaseUnits(u.Amount), u.ReleaseAt))],
            [.. rows.Slashes.Select(s => new SlashEvent(s.Id, HostIdOf(s.HostId), Address.Parse(s.Operator),
                s.Kind == "deceit" ? SlashKind.Deceit : SlashKind.Downtime, s.Reason, s.At))],
            [.. owed.Select(o => o.Claim)]));
        var transfers = plan.Transfers.Concat(refunds).ToList();
        var record = new EpochRecord
        {
            Epoch = epoch, Start = start, End = end, SettledAt = time.GetUtcNow(), Transfers = transfers.Count,
            // The refunds of escrow taken above reserve leases' actual prices are the service's, not the planner's.
            Totals = JsonSerializer.Serialize(plan.Totals with { Refunds = refunds.Aggregate(plan.Totals.Refunds, (sum, t) => sum + t.Amount) }, EpochView.Json),
        };
        var planned = clock.Elapsed;
        var holdAt = transfers.Select((t, i) => (t.Id, i)).Where(x => x.Id.High == (EpochSettlementPlanner.IdPrefix | (ulong)epoch)).ToDictionary(x => x.Id, x => x.i);
        var write = new SettlementWrite(record, [.. rows.Slashes.Select(s => s.Id)],
            [.. plan.ReleasedUnbonding.Select(i => rows.Unbonding[(int)i].TransferId)],
            VestingChanges.Between(tranches, plan.Tranches, epoch),
            billing, [.. plan.NewHolds.Select(h => (h, holdAt[h.Id]))], CreditRows(owed, plan.Credits), plan.Earnings);
        var commit = settlements.Commit(write);
        var results = await ledger.SubmitAsync(transfers, async (connection, tx, token) =>
        {
            // First in the transaction: the lease's row stays locked until it commits, so no take-over comes between.
            await leadership.FenceAsync(fence, connection, tx, token);
            await commit.Rows(connection, tx, token);
        }, commit.Holds, ct);

        LastPhases = new EpochPhases(read, planned - read, clock.Elapsed - planned);
        Settled?.Invoke(LastPhases, plan.Totals);
        foreach (var leaseId in write.Unfunded)
            await leaseEnding.EndForFundsAsync(leaseId, $"the customer's wallet cannot cover the next on-demand period (epoch {epoch})");
        var refused = results.Count(x => x is not (TransferResult.Ok or TransferResult.Exists));
        LogSettled(log, epoch, clock.ElapsedMilliseconds, transfers.Count, refused, plan.Totals.Fees, plan.Totals.Emission, plan.Totals.Slashed, plan.BelowStake.Count);
        return record;
    }

    // The SLA credit rows completed with what settlement made of each claim.
    private static List<SlaCreditRecord> CreditRows(IReadOnlyList<(SlaCreditClaim Claim, SlaCreditRecord Row)> owed, IReadOnlyList<SlaCreditPaid> paid)
    {
        var rows = owed.ToDictionary(o => o.Row.LeaseId, o => o.Row, StringComparer.Ordinal);
        foreach (var p in paid)
        {
            var row = rows[p.LeaseId];
            row.FeesBaseUnits = p.FeesToDate.BaseUnits;
            row.DueBaseUnits = p.DueToDate.BaseUnits;
            row.CreditedBaseUnits = p.Paid.BaseUnits;
            row.ShortBaseUnits = p.Unpaid.BaseUnits;
            row.TransferIds = string.Join(',', p.TransferIds.Select(id => id.ToString()));
        }

        return [.. rows.Values];
    }

    // Each host's verified seconds of its uptime in [start, end).
    private static Dictionary<string, long> VerifiedSeconds(
        IReadOnlyList<(string HostId, HostState To, DateTimeOffset At)> transitions, EpochChecks checks, DateTimeOffset start, DateTimeOffset end)
    {
        var stretches = HostUptime.ReadyStretches(transitions, start, end);
        var verified = new Dictionary<string, long>(stretches.Count, StringComparer.Ordinal);
        foreach (var (host, ready) in stretches)
            verified[host] = VerifiedTime.Seconds(ready, checks.Capacity.GetValueOrDefault(host) ?? [], checks.Liveness.GetValueOrDefault(host) ?? []);
        return verified;
    }

    // Each checker's correct reports, less those received while its rewards were suspended.
    private static List<CheckerEpoch> Checkers(EpochChecks checks)
    {
        var suspensions = checks.IncorrectMarks.GroupBy(m => m.Checker, m => m.At, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => MajorityPenaltyPolicy.Default.Suspensions(g), StringComparer.Ordinal);
        var suspended = checks.CorrectOfMarked
            .Where(r => suspensions.TryGetValue(r.Checker, out var s) && s.Any(p => p.Covers(r.At)))
            .CountBy(r => r.Checker, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        var checkers = new List<CheckerEpoch>(checks.CorrectReports.Count);
        foreach (var (checker, correct) in checks.CorrectReports)
        {
            // An address the store cannot parse never signed a report it accepted; it is not paid rather than failing the epoch.
            if (Address.TryParse(checker, out var address))
                checkers.Add(new CheckerEpoch(address, correct - suspended.GetValueOrDefault(checker)));
        }

        return checkers;
    }

    // One open lease's epoch by the core's rules, its billing after the epoch, and for a reserve lease that ended, the
    // refund of escrow taken above its actual price (its id is given by the caller).
    private (LeaseEpoch Lease, LeaseBillingRecord After, PlannedTransfer? Refund) Lease(
        long epoch, DateTimeOffset end, OpenLeaseBilling o, Dictionary<string, long> usageMs, TokenAmount escrowBalance)
    {
        var b = o.Billing;
        // Closed only once its last usage reports can no longer arrive (they are taken until UsageLateness after the end).
        var ended = o.EndedAt is { } at && at + metering.Value.UsageLateness < end;
        var customer = Address.Parse(b.Customer);
        var rate = new TokenRate(b.UsdPerToken);
        // Whole seconds of this epoch's usage and what the last one carried; the rest carries on (MeteredSeconds).
        var (seconds, carriedMs) = MeteredSeconds.Of(usageMs.GetValueOrDefault(b.LeaseId), b.CarriedMs);
        var charge = LeaseCharge.For(o.PriceUsdPerGpuHour, b.Gpus, b.GpuMilli, seconds, rate);
        var hostId = o.HostId is not null && HostId.TryParse(o.HostId, out var h) ? h.Value : HostId.FromFingerprint("unplaced:" + b.LeaseId);
        var operatorAddress = o.Operator is { } op ? Address.Parse(op) : customer;
        var atFault = LeaseFault.CustomerAtFault(o.EndReason);
        var after = Clone(b);
        after.ChargedSeconds += seconds;
        after.CarriedMs = carriedMs;
        if (ended)
            after.ClosedEpoch = epoch;
        if (b.Kind == "reserve")
        {
            var split = ReserveSettlement.For(o.PriceUsdPerGpuHour, b.Gpus, b.GpuMilli, b.TermSeconds, b.ChargedSeconds, rate, escrowBalance, ended);
            var refund = split.Refund.IsZero ? (PlannedTransfer?)null
                : new PlannedTransfer(default, AccountKey.LeaseEscrow(b.LeaseId), AccountKey.Participant(customer, AccountPurpose.Available), split.Refund, TransferCode.EscrowRefund);
            return (new LeaseEpoch(b.LeaseId, hostId, operatorAddress, customer, true, charge, split.Earnable, null, TokenAmount.Zero, TokenAmount.Zero, ended, atFault),
                after, refund);
        }

        var next = ended ? TokenAmount.Zero
            : EscrowPlanning.NextHold(b.MaxUsdPerGpuHour, b.Gpus, b.GpuMilli, b.TermSeconds, after.ChargedSeconds, rate, economics,
                TokenAmount.FromTokens(market.Value.MinimumLeaseHold));
        var lease = new LeaseEpoch(b.LeaseId, hostId, operatorAddress, customer, false, charge, TokenAmount.Zero,
            b.HoldId is null ? null : TransferId.Parse(b.HoldId), TokenAmount.FromBaseUnits(b.HoldAmount), next, ended, atFault);
        after.HoldId = null;
        after.HoldAmount = 0;
        return (lease, after, null);
    }

    private static LeaseBillingRecord Clone(LeaseBillingRecord b) => new()
    {
        LeaseId = b.LeaseId, Customer = b.Customer, Kind = b.Kind, UsdPerToken = b.UsdPerToken, MaxUsdPerGpuHour = b.MaxUsdPerGpuHour,
        Gpus = b.Gpus, GpuMilli = b.GpuMilli, TermSeconds = b.TermSeconds, ChargedSeconds = b.ChargedSeconds, CarriedMs = b.CarriedMs, HoldId = b.HoldId,
        HoldAmount = b.HoldAmount, ClosedEpoch = b.ClosedEpoch,
    };

    private static HostId HostIdOf(string id) => HostId.TryParse(id, out var h) ? h.Value : throw new InvalidDataException($"'{id}' is not a host id");

    [LoggerMessage(EventId = 4024, Level = LogLevel.Error, Message = "Epoch settlement failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception e);

    [LoggerMessage(EventId = 4039, Level = LogLevel.Information, Message = "Epoch settlement left to the leader: {Reason}")]
    private static partial void LogNotLeader(ILogger logger, string reason);

    [LoggerMessage(EventId = 4025, Level = LogLevel.Information,
        Message = "Epoch {Epoch} settled in {Ms} ms: {Transfers} transfers ({Refused} refused), fees {Fees}, emission {Emission}, slashed {Slashed}, {Paused} hosts below stake")]
    private static partial void LogSettled(ILogger logger, long epoch, long ms, int transfers, int refused, TokenAmount fees, TokenAmount emission, TokenAmount slashed, int paused);
}

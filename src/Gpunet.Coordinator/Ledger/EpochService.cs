using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Metering;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Settles every epoch once it has ended: fees from metered usage, rewards from emission, slashes, vesting and
/// unbonding releases, by the rules of <see cref="EpochSettlementPlanner"/>.</summary>
/// <remarks>
/// <para>Exactly once: an epoch's transfers, its row in <c>epochs</c> (keyed by the epoch), the usage rows and slash
/// events it took, the vesting tranches, the released unbonding entries and the leases' billing state all commit in
/// one transaction of the ledger, or none of it does. A coordinator killed mid-settlement therefore leaves the epoch
/// unsettled, and settles it after restart from the same stored inputs, with the same result; two coordinators that
/// race for one epoch cannot both commit it (the second fails on the epoch's key and reloads).</para>
/// <para>Inputs come from the store, never from one coordinator's memory: uptime from the host transitions, usage
/// from accepted usage reports received before the epoch's end, balances from the ledger.</para>
/// </remarks>
internal sealed class EpochService(
    IDbContextFactory<GpunetDb> dbFactory, LedgerService ledger, HostRegistry registry, Marketplace.Market market, StakeTable stakes, EconomicsOptions economics,
    TimeProvider time, IOptions<LedgerOptions> options, IOptions<MeteringOptions> metering, IOptions<MarketOptions> marketOptions, ILogger<EpochService> log) : BackgroundService
{
    private const string FirstEpochKey = "first_epoch";

    /// <summary>Ids of refunds of escrow taken above a reserve lease's actual price: the settlement's id space with a
    /// bit the planner never sets.</summary>
    private const ulong ExcessRefundBit = 1UL << 39;

    private readonly EpochSettlementPlanner _planner = new(economics);

    /// <summary>The phases of the last settlement this service made (for <c>gpunet bench ledger</c>).</summary>
    internal EpochPhases LastPhases { get; private set; }

    /// <summary>Test hook: the process kills itself inside the settlement's transaction, after its writes and before the
    /// commit (the crash test sets <c>GPUNET_CRASH_IN_SETTLEMENT=1</c> on a real coordinator process).</summary>
    internal static bool CrashBeforeCommit => Environment.GetEnvironmentVariable("GPUNET_CRASH_IN_SETTLEMENT") == "1";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The network's first epoch is recorded even where this coordinator leaves settlement to others.
        var first = await FirstEpochAsync(stoppingToken);
        if (!options.Value.SettleEpochs)
            return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var next = await NextAsync(first, stoppingToken);
                var due = economics.EpochStart(next + 1) + options.Value.SettlementDelay;
                var wait = due - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait < TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1), time, stoppingToken);
                    continue;
                }

                await SettleAsync(next, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogError(e, "Epoch settlement failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    // The network's first epoch is the one it started in; stored once, so every coordinator agrees.
    private async Task<long> FirstEpochAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.Meta.AsNoTracking().Where(m => m.Key == FirstEpochKey).Select(m => m.Value).FirstOrDefaultAsync(ct);
        if (stored is not null)
            return long.Parse(stored, CultureInfo.InvariantCulture);
        var first = economics.EpochOf(time.GetUtcNow());
        db.Meta.Add(new MetaRecord { Key = FirstEpochKey, Value = first.ToString(CultureInfo.InvariantCulture) });
        try
        {
            await db.SaveChangesAsync(ct);
            return first;
        }
        catch (DbUpdateException)
        {
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            return long.Parse(await again.Meta.AsNoTracking().Where(m => m.Key == FirstEpochKey).Select(m => m.Value).FirstAsync(ct), CultureInfo.InvariantCulture);
        }
    }

    private async Task<long> NextAsync(long first, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var last = await db.Epochs.AsNoTracking().MaxAsync(e => (long?)e.Epoch, ct);
        return last is { } l ? l + 1 : first;
    }

    /// <summary>Settles epoch <paramref name="epoch"/> unless it is settled; returns its totals, or null when it was.</summary>
    public async Task<EpochRecord?> SettleAsync(long epoch, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var start = economics.EpochStart(epoch);
        var end = economics.EpochStart(epoch + 1);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Epochs.AsNoTracking().AnyAsync(e => e.Epoch == epoch, ct))
            return null;

        // One pass over the epoch's usage: billed time per lease, and GPU time served per host.
        var usageRows = await db.LeaseUsage.AsNoTracking().Where(u => u.Epoch == null && u.ReceivedAt < end)
            .GroupBy(u => new { u.LeaseId, u.HostId })
            .Select(g => new { g.Key.LeaseId, g.Key.HostId, Ms = g.Sum(u => u.BilledMs), GpuMs = g.Sum(u => u.BilledMs * u.Gpus * u.GpuMilli / 1000) })
            .ToListAsync(ct);
        var usage = usageRows.GroupBy(u => u.LeaseId).ToDictionary(g => g.Key, g => g.Sum(u => u.Ms));
        var served = usageRows.GroupBy(u => u.HostId).ToDictionary(g => g.Key, g => g.Sum(u => u.GpuMs) / 1000);
        var hosts = await HostsAsync(db, start, end, served, ct);
        var open = await (from b in db.LeaseBilling.AsNoTracking()
                          where b.ClosedEpoch == null
                          join l in db.Leases.AsNoTracking() on b.LeaseId equals l.Id
                          select new { Billing = b, l.State, l.EndReason, l.EndedAt, l.HostId, l.PriceUsdPerGpuHour }).ToListAsync(ct);
        var tranches = (await db.VestingTranches.AsNoTracking().ToListAsync(ct))
            .Select(t => new VestingTranche(Address.Parse(t.Owner), t.Epoch, TokenAmount.FromBaseUnits(t.Amount), TokenAmount.FromBaseUnits(t.Released), t.Start))
            .ToList();
        var unbondingRows = await db.Unbonding.AsNoTracking().Where(u => u.ReleasedEpoch == null).OrderBy(u => u.TransferId).ToListAsync(ct);
        var unbonding = unbondingRows.Select((u, i) => new UnbondingEntry(i, Address.Parse(u.Owner), HostIdOf(u.HostId), TokenAmount.FromBaseUnits(u.Amount), u.ReleaseAt)).ToList();
        var slashRows = await db.SlashEvents.AsNoTracking().Where(s => s.Epoch == null && s.At < end).ToListAsync(ct);
        var slashes = slashRows.Select(s => new SlashEvent(s.Id, HostIdOf(s.HostId), Address.Parse(s.Operator),
            s.Kind == "deceit" ? SlashKind.Deceit : SlashKind.Downtime, s.Reason, s.At)).ToList();

        // Balances: the pool, every container's stake, every reserve lease's escrow.
        var keys = new List<AccountKey> { AccountKey.Network(AccountPurpose.EmissionPool) };
        keys.AddRange(hosts.Select(h => AccountKey.HostStake(h.Host)));
        keys.AddRange(open.Select(o => AccountKey.LeaseEscrow(o.Billing.LeaseId)));
        var balances = await ledger.AccountsAsync(keys, ct);
        TokenAmount BalanceAt(int i) => balances[i]?.Balance ?? TokenAmount.Zero;
        for (var i = 0; i < hosts.Count; i++)
            hosts[i] = hosts[i] with { Staked = BalanceAt(1 + i) };

        var leases = new List<LeaseEpoch>(open.Count);
        var extra = new List<PlannedTransfer>();
        var billingAfter = new List<LeaseBillingRecord>(open.Count);
        for (var i = 0; i < open.Count; i++)
        {
            var o = open[i];
            var b = o.Billing;
            // Closed only once its last usage reports can no longer arrive (they are taken until UsageLateness after the end).
            var ended = o.EndedAt is { } at && at + metering.Value.UsageLateness < end;
            var customer = Address.Parse(b.Customer);
            var rate = new TokenRate(b.UsdPerToken);
            var seconds = (usage.TryGetValue(b.LeaseId, out var ms) ? ms : 0) / 1000;
            var charge = LeaseCharge.For(o.PriceUsdPerGpuHour, b.Gpus, b.GpuMilli, seconds, rate);
            var hostId = o.HostId is not null && HostId.TryParse(o.HostId, out var h) ? h.Value : HostId.FromFingerprint("unplaced:" + b.LeaseId);
            var operatorAddress = o.HostId is not null && registry.TryGet(o.HostId, out var entry) ? Address.Parse(entry.Record.Address) : customer;
            var after = Clone(b);
            after.ChargedSeconds += seconds;
            var escrowBalance = BalanceAt(1 + hosts.Count + i);
            if (b.Kind == "reserve")
            {
                // The escrow was taken at the max price; the host earns at most its own price for the term.
                var owed = LeaseCharge.For(o.PriceUsdPerGpuHour, b.Gpus, b.GpuMilli, Math.Max(0, b.TermSeconds - b.ChargedSeconds), rate);
                var earnable = owed < escrowBalance ? owed : escrowBalance;
                leases.Add(new LeaseEpoch(b.LeaseId, hostId, operatorAddress, customer, true, charge, earnable, null, TokenAmount.Zero, TokenAmount.Zero,
                    ended, CustomerAtFault(o.EndReason)));
                if (ended && escrowBalance > earnable)
                {
                    extra.Add(new PlannedTransfer(TransferId.FromParts(EpochSettlementPlanner.IdPrefix | (ulong)epoch,
                            ((ulong)(ushort)TransferCode.EscrowRefund << 40) | ExcessRefundBit | (uint)(extra.Count + 1)),
                        AccountKey.LeaseEscrow(b.LeaseId), AccountKey.Participant(customer, AccountPurpose.Available), escrowBalance - earnable, TransferCode.EscrowRefund));
                }
            }
            else
            {
                var next = ended ? TokenAmount.Zero
                    : OrderFunding.NextHold(b, after.ChargedSeconds, rate, economics, TokenAmount.FromTokens(marketOptions.Value.MinimumLeaseHold));
                leases.Add(new LeaseEpoch(b.LeaseId, hostId, operatorAddress, customer, false, charge, TokenAmount.Zero,
                    b.HoldId is null ? null : TransferId.Parse(b.HoldId), TokenAmount.FromBaseUnits(b.HoldAmount), next, ended, CustomerAtFault(o.EndReason)));
                after.HoldId = null;
                after.HoldAmount = 0;
            }

            if (ended)
                after.ClosedEpoch = epoch;
            billingAfter.Add(after);
        }

        var read = clock.Elapsed;
        var inputs = new EpochInputs(epoch, start, end, BalanceAt(0), hosts, leases, [], tranches, unbonding, slashes);
        var plan = _planner.Plan(inputs);
        var transfers = plan.Transfers.Concat(extra).ToList();
        var settledAt = time.GetUtcNow();
        var record = new EpochRecord
        {
            Epoch = epoch, Start = start, End = end, SettledAt = settledAt, Transfers = transfers.Count,
            // The refunds of escrow taken above reserve leases' actual prices are the service's, not the planner's.
            Totals = JsonSerializer.Serialize(plan.Totals with { Refunds = extra.Aggregate(plan.Totals.Refunds, (sum, t) => sum + t.Amount) }, EpochView.Json),
        };
        var planned = clock.Elapsed;
        var releasedIds = plan.ReleasedUnbonding.Select(i => unbondingRows[(int)i].TransferId).ToList();
        var slashIds = slashRows.Select(s => s.Id).ToList();
        var holdAt = transfers.Select((t, i) => (t.Id, i)).Where(x => x.Id.High == (EpochSettlementPlanner.IdPrefix | (ulong)epoch)).ToDictionary(x => x.Id, x => x.i);
        var billingById = billingAfter.ToDictionary(b => b.LeaseId, StringComparer.Ordinal);
        var unfunded = new List<string>();
        var results = await ledger.SubmitAsync(transfers, async (connection, tx, r, token) =>
        {
            await using var w = GpunetDb.On(connection, tx);
            w.Epochs.Add(record);
            await w.SaveChangesAsync(token); // the epoch's key: a second settlement of it fails here, and writes nothing
            await w.LeaseUsage.Where(u => u.Epoch == null && u.ReceivedAt < end).ExecuteUpdateAsync(s => s.SetProperty(u => u.Epoch, epoch), token);
            // In slices: each id is a parameter, and SQLite takes at most 32,766.
            foreach (var slice in slashIds.Chunk(10_000))
                await w.SlashEvents.Where(s => slice.Contains(s.Id)).ExecuteUpdateAsync(s => s.SetProperty(x => x.Epoch, epoch), token);
            foreach (var slice in releasedIds.Chunk(10_000))
                await w.Unbonding.Where(u => slice.Contains(u.TransferId)).ExecuteUpdateAsync(s => s.SetProperty(x => x.ReleasedEpoch, epoch), token);
            // A lease goes on with its new hold; one whose customer could not cover it ends (after the commit).
            foreach (var hold in plan.NewHolds)
            {
                var after = billingById[hold.LeaseId];
                if (r[holdAt[hold.Id]] == TransferResult.Ok)
                {
                    after.HoldId = hold.Id.ToString();
                    after.HoldAmount = hold.Amount.BaseUnits;
                }
                else
                {
                    unfunded.Add(hold.LeaseId);
                }
            }

            await w.VestingTranches.ExecuteDeleteAsync(token);
            await BillingRowWriter.InsertTranchesAsync(connection, tx, [.. plan.Tranches.Select(t => new VestingTrancheRecord
            {
                Owner = t.Owner.Value, Epoch = t.Epoch, Amount = t.Amount.BaseUnits, Released = t.Released.BaseUnits, Start = t.Start,
            })], token);
            await BillingRowWriter.UpdateAsync(connection, tx, billingAfter, token);
            if (CrashBeforeCommit)
            {
                // Straight to stderr: the logger's queue would die with the process.
                await Console.Error.WriteLineAsync($"GPUNET_CRASH_IN_SETTLEMENT: killing the process inside the settlement of epoch {epoch}, before its commit");
                await Console.Error.FlushAsync(token);
                using var self = Process.GetCurrentProcess();
                self.Kill(); // SIGKILL: no clean-up, no commit, like a power cut
            }
        }, ct);

        LastPhases = new EpochPhases(read, planned - read, clock.Elapsed - planned);
        foreach (var leaseId in unfunded)
            await market.EndForFundsAsync(leaseId, $"the customer's wallet cannot cover the next on-demand period (epoch {epoch})");
        var refused = results.Count(x => x is not (TransferResult.Ok or TransferResult.Exists));
        log.LogInformation(
            "Epoch {Epoch} settled in {Ms} ms: {Transfers} transfers ({Refused} refused), fees {Fees}, emission {Emission}, slashed {Slashed}, {Paused} hosts below stake",
            epoch, clock.ElapsedMilliseconds, transfers.Count, refused, plan.Totals.Fees, plan.Totals.Emission, plan.Totals.Slashed, plan.BelowStake.Count);
        return record;
    }

    private static LeaseBillingRecord Clone(LeaseBillingRecord b) => new()
    {
        LeaseId = b.LeaseId, Customer = b.Customer, Kind = b.Kind, UsdPerToken = b.UsdPerToken, MaxUsdPerGpuHour = b.MaxUsdPerGpuHour,
        Gpus = b.Gpus, GpuMilli = b.GpuMilli, TermSeconds = b.TermSeconds, ChargedSeconds = b.ChargedSeconds, HoldId = b.HoldId,
        HoldAmount = b.HoldAmount, ClosedEpoch = b.ClosedEpoch,
    };

    /// <summary>Whether the customer caused the end (their workload finished, failed or was cancelled); otherwise the
    /// host or the network did, and unused prepaid escrow is refunded.</summary>
    private static bool CustomerAtFault(string? endReason) => endReason is "completed" or "exit-nonzero" or "cancelled" or "term-ended"
        or "limit-exceeded" or "start-failed" or "funds-exhausted";

    private static HostId HostIdOf(string id) => HostId.TryParse(id, out var h) ? h.Value : throw new InvalidDataException($"'{id}' is not a host id");

    // Every registered container with its stake requirement, capacity and time Ready in the epoch (from the stored
    // transitions), and the GPU-seconds it served (served, from accepted usage).
    private async Task<List<HostEpoch>> HostsAsync(
        GpunetDb db, DateTimeOffset start, DateTimeOffset end, Dictionary<string, long> served, CancellationToken ct)
    {
        var ready = new Dictionary<string, long>();
        string? current = null;
        var state = "";
        var since = start;
        void Close(DateTimeOffset until)
        {
            if (current is not null && state == nameof(HostState.Ready) && until > since)
                ready[current] = ready.GetValueOrDefault(current) + (long)(until - since).TotalSeconds;
        }

        await foreach (var t in db.HostTransitions.AsNoTracking().Where(t => t.At < end).OrderBy(t => t.HostId).ThenBy(t => t.At)
            .Select(t => new { t.HostId, t.To, t.At }).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (t.HostId != current)
            {
                Close(end);
                current = t.HostId;
                state = "";
                since = start;
            }

            var at = t.At < start ? start : t.At;
            Close(at);
            state = t.To;
            since = at;
        }

        Close(end);
        var hosts = new List<HostEpoch>();
        foreach (var e in registry.Entries)
        {
            var models = e.Record.Gpus.Select(g => g.Model).ToList();
            hosts.Add(new HostEpoch(HostIdOf(e.Id), Address.Parse(e.Record.Address), stakes.RequiredStake(models), TokenAmount.Zero,
                (long)models.Sum(stakes.K), ready.GetValueOrDefault(e.Id), served.GetValueOrDefault(e.Id)));
        }

        return hosts;
    }
}

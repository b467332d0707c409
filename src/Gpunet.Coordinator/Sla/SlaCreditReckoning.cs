using System.Globalization;
using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Metering;
using Gpunet.Coordinator.Storage;
using Gpunet.Coordinator.Verification;
using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.Core.Sla;
using Gpunet.Core.Verification;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Sla;

/// <summary>Reckons, at each epoch's settlement, which tiered leases fell short of their promise this calendar month
/// and what is owed: availability month-to-date by <see cref="SlaMeasurement"/>, the credit by the tier's schedule
/// (<see cref="SlaCredits.PercentFor"/>), fees and earlier credits of the month from the ledger and the stored rows.</summary>
/// <remarks>Only leases with evidence of trouble are measured: those reckoned earlier this month, those that moved,
/// and those on a host that in this epoch changed to a state other than Ready, failed a check, had declared
/// maintenance, answered a capacity check below a tier's degraded share, or went over a session round-trip bound.</remarks>
internal sealed class SlaCreditReckoning(
    IDbContextFactory<GpunetDb> dbFactory, SlaMeasurement measurement, SlaTiers tiers, LedgerService ledger, IOptions<MeteringOptions> metering, EconomicsOptions economics) : IEpochCredits
{
    public async Task<IReadOnlyList<(SlaCreditClaim Claim, SlaCreditRecord Row)>> ReckonAsync(long epoch, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        var monthStart = HostSloRewards.MonthOf(start).Start;
        var month = monthStart.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // A lease that ended shortly before the epoch may still be charged in it (its last usage reports): reckoned too.
        var endedSince = start - metering.Value.UsageLateness;
        var live = await db.Leases.AsNoTracking()
            .Where(l => l.StartedAt != null && l.StartedAt < end && (l.EndedAt == null || l.EndedAt >= endedSince))
            .Select(l => new { l.Id, l.HostId, l.Attempt }).ToListAsync(ct);
        if (live.Count == 0)
            return [];
        var earlier = (await db.SlaCredits.AsNoTracking().Where(c => c.Month == month && c.Epoch < epoch)
                .Select(c => new { c.LeaseId, c.CreditedBaseUnits }).ToListAsync(ct))
            .GroupBy(c => c.LeaseId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(c => c.CreditedBaseUnits), StringComparer.Ordinal);
        var troubled = await TroubledHostsAsync(db, start, end, ct);

        var owed = new List<(SlaCreditClaim, SlaCreditRecord)>();
        foreach (var lease in live)
        {
            // A lease placed once has only ever been on its host; one placed again (moved) is measured anyway.
            if (!earlier.ContainsKey(lease.Id) && lease.Attempt <= 1 && (lease.HostId is null || !troubled.Contains(lease.HostId)))
                continue;
            var measure = await measurement.LeaseAsync(lease.Id, monthStart, end, ct);
            if (measure is null || measure.ObligatedSeconds <= 0)
                continue;
            var percent = SlaCredits.PercentFor(measure.Tier, measure.Availability, measure.ReplacementBroken);
            if (percent <= 0)
                continue;
            // The host that owes it: the one with the most downtime against the customer this month.
            var owing = measure.Windows.Where(w => w.HostId is not null && w.Window.Cause != DowntimeCause.Maintenance)
                .GroupBy(w => w.HostId!, StringComparer.Ordinal).MaxBy(g => g.Sum(w => w.Window.Length.Ticks))?.Key ?? lease.HostId;
            var host = owing is null ? null : await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == owing, ct);
            if (host is null || !HostId.TryParse(host.Id, out var hostId) || !Address.TryParse(host.Address, out var operatorAddress)
                || !Address.TryParse(measure.Customer, out var customer))
                continue;
            var creditedBefore = TokenAmount.FromBaseUnits(earlier.GetValueOrDefault(lease.Id));
            var feesBefore = await FeesAsync(lease.Id, monthStart, epoch, ct);
            var reason = Reason(measure);
            owed.Add((new SlaCreditClaim(lease.Id, hostId.Value, operatorAddress, customer, percent, feesBefore, creditedBefore, reason), new SlaCreditRecord
            {
                LeaseId = lease.Id, Epoch = epoch, Month = month, Customer = measure.Customer, HostId = host.Id, Tier = measure.Tier.Name,
                ObligatedSeconds = (long)measure.ObligatedSeconds, DowntimeSeconds = (long)measure.DowntimeSeconds, Availability = measure.Availability,
                ReplacementBroken = measure.ReplacementBroken, Reason = reason, At = end,
            }));
        }

        return owed;
    }

    /// <summary>The breach in words: <c>enterprise: availability 99.812 % this month, below 99.9 %; a replacement took
    /// longer than 2 min</c>.</summary>
    public static string Reason(LeaseMeasure measure)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{measure.Tier.Name}: availability {measure.Availability * 100:0.###} % this month, promised {measure.Tier.Availability * 100:0.###} %");
        return measure.ReplacementBroken
            ? text + string.Create(CultureInfo.InvariantCulture, $"; a replacement took longer than {measure.Tier.MaxReplacement.TotalMinutes:0.#} min")
            : text;
    }

    // Fees charged for the lease by this month's settlements before epoch `before`: the host's and the protocol's shares
    // taken from its escrow. A settlement's transfers carry their epoch in their id (they are applied after it ends).
    private async Task<TokenAmount> FeesAsync(string leaseId, DateTimeOffset monthStart, long before, CancellationToken ct)
    {
        var history = await ledger.HistoryAsync([AccountKey.LeaseEscrow(leaseId)], 10_000, null, ct);
        return history.Where(h => h.Code is TransferCode.HostFee or TransferCode.ProtocolFee
                && EpochSettlementPlanner.EpochOf(h.Id) is { } epoch && epoch < before && economics.EpochStart(epoch) >= monthStart)
            .Aggregate(TokenAmount.Zero, (sum, h) => sum + h.Amount);
    }

    // Hosts with any evidence of downtime or degradation in [start, end).
    private async Task<HashSet<string>> TroubledHostsAsync(GpunetDb db, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        string[] down = [nameof(HostState.Suspect), nameof(HostState.Offline), nameof(HostState.Paused), nameof(HostState.Pending)];
        var troubled = new HashSet<string>(StringComparer.Ordinal);
        // Any change in the epoch (a host back to Ready was down before it), and hosts not Ready since before it.
        troubled.UnionWith(await db.HostTransitions.AsNoTracking().Where(t => t.At >= start && t.At < end).Select(t => t.HostId).Distinct().ToListAsync(ct));
        troubled.UnionWith(await db.Hosts.AsNoTracking().Where(h => down.Contains(h.State) && h.StateSince < start).Select(h => h.Id).ToListAsync(ct));
        var since = start - TimeSpan.FromDays(2);
        troubled.UnionWith(await db.Checks.AsNoTracking().Where(c => c.Outcome == CheckOutcomes.Failed && c.IssuedAt >= since && c.IssuedAt < end).Select(c => c.HostId).Distinct().ToListAsync(ct));
        troubled.UnionWith(await db.MaintenanceWindows.AsNoTracking().Where(m => m.CancelledAt == null && m.From < end && m.To > start).Select(m => m.HostId).Distinct().ToListAsync(ct));
        var bound = (long)(tiers.All.Values.Min(t => t.SessionLatencyMs) * 1000);
        troubled.UnionWith(await (from c in db.Checks.AsNoTracking()
                                  join r in db.CheckReports.AsNoTracking() on c.Id equals r.CheckId
                                  where c.Kind == CheckKind.Service && c.IssuedAt >= start && c.IssuedAt < end && r.RoundTripMicros > bound
                                  select c.HostId).Distinct().ToListAsync(ct));
        var share = tiers.All.Values.Max(t => t.DegradedShare);
        var capacity = await (from c in db.Checks.AsNoTracking()
                              join r in db.CheckReports.AsNoTracking() on c.Id equals r.CheckId
                              where c.Kind == CheckKind.Capacity && c.DecidedAt >= start && c.DecidedAt < end && r.Gpus != ""
                              select new { c.HostId, Report = r }).ToListAsync(ct);
        troubled.UnionWith(capacity.Where(x => CheckViews.SlowestSpeedShare(x.Report) < share).Select(x => x.HostId));
        return troubled;
    }
}

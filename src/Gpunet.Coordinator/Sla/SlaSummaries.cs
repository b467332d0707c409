using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;
using Gpunet.Core.Sla;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Sla;

/// <summary>The network's SLA over a month, for the network operator: credits from the rows settlement wrote
/// (<c>sla_credits</c>, each tiered lease's reckoning per epoch), hosts' offline time per UTC day from their stored state
/// changes (core rule <see cref="HostUptime"/>, as settlement counts it for rewards), the SLO breaches by the core rule
/// <see cref="HostSloBreaches"/>.</summary>
/// <remarks>Bounded at any network size: nothing is measured per lease on request. The credit figures are a few
/// aggregates over the month's rows (one range of the epoch index); the offline time is two reads of the month's
/// state changes, the second of only the hosts that went unheard (or came back), and one of the hosts down since before. Thread-safe: every call uses its own contexts.</remarks>
internal sealed class SlaSummaries(
    IDbContextFactory<GpunetDb> dbFactory, HostRegistry registry, EconomicsOptions economics, IOptions<SlaOptions> options)
{
    /// <summary>The hosts over their allowance listed by name; the rest are counted.</summary>
    public const int WorstHostsListed = ShortLists.WorstHosts;

    public async Task<SlaSummaryView> MonthAsync(SlaMonth month, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var name = month.ToString();
        // A row's month is its epoch's start's month: those epochs are one range of numbers.
        var first = economics.EpochOf(month.Start);
        var last = economics.EpochOf(month.End);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = db.SlaCredits.AsNoTracking().Where(c => c.Epoch >= first && c.Epoch <= last && c.Month == name);
        // Each lease's latest reckoning holds the month to date (due, downtime); what was paid is every epoch's sum.
        var latest = rows.Where(c => c.Epoch == rows.Where(d => d.LeaseId == c.LeaseId).Max(d => d.Epoch));
        var paid = await rows.SumAsync(c => c.CreditedBaseUnits, ct);
        var leases = await latest.CountAsync(ct);
        var owed = await latest.SumAsync(c => c.DueBaseUnits, ct);
        var downtime = await latest.SumAsync(c => c.DowntimeSeconds, ct);
        var customers = await latest.Select(c => c.Customer).Distinct().CountAsync(ct);
        var owing = await latest.Where(c => c.HostId != null).Select(c => c.HostId).Distinct().CountAsync(ct);
        var epochs = await db.Epochs.AsNoTracking().CountAsync(e => e.End > from && e.End <= to, ct);

        var changes = await StoredHostOfflineTime.UnheardChangesAsync(db, from, to, ct);
        var days = Days(from, to).Select(d => (IReadOnlyDictionary<string, long>)HostUptime.OfflineSeconds(changes, d.Start, d.End)).ToList();
        var allowance = HostSloRewards.MonthlyAllowanceSeconds(month.End - month.Start, options.Value.HostMonthlyUptime);
        var breaches = HostSloBreaches.Of(days, options.Value.HostDailyOfflineLimit, allowance);
        var down = days.SelectMany(d => d.Where(h => h.Value > 0).Select(h => h.Key)).Distinct(StringComparer.Ordinal).Count();

        static string Tokens(long baseUnits) => TokenAmount.FromBaseUnits(baseUnits).ToString();
        return new SlaSummaryView(
            name, from, to, epochs, leases, customers, owing, downtime, Tokens(owed), Tokens(paid), Tokens(Math.Max(0, owed - paid)),
            down, breaches.Count, allowance, options.Value.HostDailyOfflineLimit.TotalSeconds,
            [.. breaches.Take(WorstHostsListed).Select(b => new HostSloBreachView(b.HostId,
                registry.TryGet(b.HostId, out var host) ? host.Record.Address : "", b.OfflineSeconds, b.DaysOverLimit, b.WorstDaySeconds, b.OverMonthlyAllowance))]);
    }

    /// <summary>The UTC days of [<paramref name="from"/>, <paramref name="to"/>), the last one cut at <paramref name="to"/>.</summary>
    private static IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Days(DateTimeOffset from, DateTimeOffset to)
    {
        for (var start = from; start < to; start = start.AddDays(1))
            yield return (start, start.AddDays(1) < to ? start.AddDays(1) : to);
    }
}

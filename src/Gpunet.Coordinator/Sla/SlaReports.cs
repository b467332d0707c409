using System.Linq.Expressions;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Ledger;
using Gpunet.Core.Sla;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Sla;

/// <summary>SLA reports over a calendar month for a lease, a host or a customer's leases: availability against the
/// tier's promise, every downtime window with its cause, the credits settlement paid, the daily figures and, for a host,
/// its SLO table. The figures come from <see cref="SlaMeasurement"/>; the credits from the <c>sla_credits</c> table.</summary>
/// <remarks>Thread-safe: every call uses its own short-lived <see cref="GpunetDb"/>.</remarks>
internal sealed class SlaReports(SlaMeasurement measurement, SlaTiers tiers, IDbContextFactory<GpunetDb> dbFactory, IOptions<SlaOptions> options)
{
    /// <summary>The lease's report for <paramref name="month"/> up to <paramref name="to"/>; null when there is no such lease.</summary>
    public async Task<SlaReportView?> LeaseAsync(string leaseId, SlaMonth month, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var m = await measurement.LeaseAsync(leaseId, from, to, ct);
        if (m is null)
            return null;
        var name = month.ToString();
        var credits = await CreditsAsync(c => c.LeaseId == leaseId && c.Month == name, ct);
        return Combined("lease", leaseId, month, from, to, [m], credits);
    }

    /// <summary>The report over <paramref name="customer"/>'s leases that ran in the period: availability is the leases'
    /// time up over their time owed, the tier the strictest among them.</summary>
    public async Task<SlaReportView> CustomerAsync(string customer, SlaMonth month, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var measures = new List<LeaseMeasure>();
        foreach (var id in await measurement.LeasesOfAsync(customer, from, to, ct))
        {
            if (await measurement.LeaseAsync(id, from, to, ct) is { } m)
                measures.Add(m);
        }

        var name = month.ToString();
        var credits = await CreditsAsync(c => c.Customer == customer && c.Month == name, ct);
        return Combined("customer", customer, month, from, to, measures, credits);
    }

    /// <summary>The host's report: its availability to customers (maintenance excluded), every window, and its SLO
    /// (maintenance included); the tier is the strictest of the leases it served in the period. Null when there is no
    /// such host.</summary>
    public async Task<SlaReportView?> HostAsync(string hostId, SlaMonth month, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var m = await measurement.HostAsync(hostId, from, to, ct);
        if (m is null)
            return null;
        var name = month.ToString();
        var credits = await CreditsAsync(c => c.HostId == hostId && c.Month == name, ct);
        var tier = Strictest(await TiersServedAsync(hostId, from, to, ct));
        var downtime = SlaAvailability.CustomerDowntimeSeconds(m.Windows);
        var availability = SlaAvailability.Of(m.ObservedSeconds, downtime);
        var observed = m.ObservedSeconds > 0 ? new[] { (m.From, m.To) } : [];
        var slo = HostSlo.Days(m.From, m.To, m.Windows, options.Value.HostDailyOfflineLimit);
        var uptime = HostSlo.MonthlyUptime(m.ObservedSeconds, m.Windows);
        return new SlaReportView(
            "host", hostId, month.ToString(), m.From, m.To, tier?.Name ?? "", availability, m.ObservedSeconds, downtime, MaintenanceSeconds(m.Windows),
            Meets(tier, availability), credits.Views, credits.Total,
            [.. m.Windows.OrderBy(w => w.Start).Select(w => View(w, hostId))],
            Daily(m.From, m.To, observed, m.Windows),
            [.. slo.Select(d => new HostSloDayView(d.Day, d.OfflineSeconds, d.Uptime, d.Met))],
            uptime, HostSlo.Met(slo, uptime, options.Value.HostMonthlyUptime));
    }

    private SlaReportView Combined(string subject, string id, SlaMonth month, DateTimeOffset from, DateTimeOffset to, List<LeaseMeasure> leases, Credits credits)
    {
        var obligated = leases.Sum(l => l.ObligatedSeconds);
        var downtime = leases.Sum(l => l.DowntimeSeconds);
        var availability = SlaAvailability.Of(obligated, downtime);
        var tier = Strictest(leases.Select(l => l.Tier.Name));
        // The period: from the first service in the month to the last, or the month so far when nothing ran.
        var start = leases.Count == 0 ? from : leases.Min(l => l.From);
        var end = leases.Count == 0 ? to : leases.Max(l => l.To);
        var windows = leases.SelectMany(l => l.Windows).OrderBy(w => w.Window.Start).ThenBy(w => w.HostId, StringComparer.Ordinal).ToList();
        var raw = windows.Select(w => w.Window).ToList();
        // A lease's obligated stretch is [From, To) of its measure (its service in the period).
        var stretches = leases.Where(l => l.ObligatedSeconds > 0).Select(l => (l.From, l.To)).ToList();
        return new SlaReportView(
            subject, id, month.ToString(), start, end, tier?.Name ?? leases.FirstOrDefault()?.Tier.Name ?? "", availability, obligated, downtime,
            MaintenanceSeconds(raw), Meets(tier, availability), credits.Views, credits.Total,
            [.. windows.Select(w => View(w.Window, w.HostId))],
            Daily(start, end, stretches, raw), [], null, null);
    }

    /// <summary>The credits settlement paid (or owed and could not pay) for the rows <paramref name="which"/> selects,
    /// oldest epoch first; an epoch's reckoning that paid nothing and owed nothing is not a credit.</summary>
    private async Task<Credits> CreditsAsync(Expression<Func<SlaCreditRecord, bool>> which, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Set<SlaCreditRecord>().AsNoTracking().Where(which)
            .Where(c => c.CreditedBaseUnits > 0 || c.ShortBaseUnits > 0).ToListAsync(ct);
        var views = rows.OrderBy(c => c.Epoch).ThenBy(c => c.LeaseId, StringComparer.Ordinal).Select(c => new SlaCreditView(
            c.LeaseId, c.Epoch, c.At, c.HostId, c.Tier, c.Availability,
            TokenAmount.FromBaseUnits(c.CreditedBaseUnits).ToString(), TokenAmount.FromBaseUnits(c.ShortBaseUnits).ToString(), c.Reason)).ToList();
        return new Credits(views, TokenAmount.FromBaseUnits(rows.Sum(c => c.CreditedBaseUnits)).ToString());
    }

    /// <summary>The credits of a report and the tokens they paid in all.</summary>
    private sealed record Credits(List<SlaCreditView> Views, string Total);

    /// <summary>The tiers of the leases the host served in the period: those on it now, and those it owed credits for.</summary>
    private async Task<List<string>> TiersServedAsync(string hostId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var current = await db.Leases.AsNoTracking()
            .Where(l => l.HostId == hostId && l.StartedAt != null && l.StartedAt < to && (l.EndedAt == null || l.EndedAt >= from))
            .Select(l => l.SlaTier).Distinct().ToListAsync(ct);
        var credited = await db.Set<SlaCreditRecord>().AsNoTracking()
            .Where(c => c.HostId == hostId && c.At >= from && c.At <= to).Select(c => c.Tier).Distinct().ToListAsync(ct);
        return [.. current.Union(credited)];
    }

    /// <summary>The tier among <paramref name="names"/> that promises most; null when none is offered here.</summary>
    private SlaTier? Strictest(IEnumerable<string> names) =>
        names.Select(tiers.Find).OfType<SlaTier>().OrderByDescending(t => t.Availability).ThenBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault();

    /// <summary>Whether <paramref name="availability"/> kept <paramref name="tier"/>'s promise; nothing promised is kept.</summary>
    private static bool Meets(SlaTier? tier, double availability) => tier is null || (decimal)availability >= tier.Availability;

    private static double MaintenanceSeconds(IEnumerable<DowntimeWindow> windows) =>
        windows.Where(w => w.Cause == DowntimeCause.Maintenance).Sum(w => w.Length.TotalSeconds);

    private static List<SlaDayView> Daily(DateTimeOffset from, DateTimeOffset to, IEnumerable<(DateTimeOffset, DateTimeOffset)> obligated, IEnumerable<DowntimeWindow> windows) =>
        [.. SlaDays.Split(from, to, obligated, windows).Select(d => new SlaDayView(d.Day, d.ObligatedSeconds, d.DowntimeSeconds, d.Availability))];

    private static DowntimeWindowView View(DowntimeWindow w, string? hostId) =>
        new(w.Start, w.End, w.Length.TotalSeconds, CauseName(w.Cause), w.Detail, w.Cause != DowntimeCause.Maintenance, hostId);

    /// <summary>The cause as the API and the CLI write it.</summary>
    public static string CauseName(DowntimeCause cause) => cause switch
    {
        DowntimeCause.Maintenance => "maintenance",
        DowntimeCause.HostLost => "host-lost",
        DowntimeCause.PausedByPolicy => "paused-by-policy",
        DowntimeCause.FailedCheck => "failed-check",
        DowntimeCause.Degraded => "degraded",
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause, "unknown downtime cause"),
    };
}

using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Storage;
using Gpunet.Coordinator.Verification;
using Gpunet.Core.Hosts;
using Gpunet.Core.Marketplace;
using Gpunet.Core.Sla;
using Gpunet.Core.Verification;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Sla;

/// <summary>Availability from the store: a lease's or host's downtime windows in a period, made by the core's
/// <see cref="LeaseDowntime"/> and <see cref="HostDowntime"/> from host state changes (heartbeats), the checkers' decided
/// checks, lease history and declared maintenance.</summary>
/// <remarks>Thread-safe: every call uses its own short-lived <see cref="GpunetDb"/>. Reads are bounded by the period:
/// state changes in it (and the last before it), failed checks in it (with the next passed one), capacity checks, and for
/// sessions the service checks whose round trips went over the tier's bound.</remarks>
internal sealed class SlaMeasurement(IDbContextFactory<GpunetDb> dbFactory, SlaTiers tiers)
{
    // A failed check issued this long before a period may still speak for its start.
    private static readonly TimeSpan Lookback = TimeSpan.FromDays(2);

    /// <summary>The lease's service in [<paramref name="from"/>, <paramref name="to"/>); null when there is no such lease.</summary>
    public async Task<LeaseMeasure?> LeaseAsync(string leaseId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lease = await db.Leases.AsNoTracking().FirstOrDefaultAsync(l => l.Id == leaseId, ct);
        if (lease is null)
            return null;
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == lease.OrderId, ct);
        var kind = order is null ? "job" : StoredOrder.Read(order).Kind;
        var session = kind is "session" or "service";
        var tier = TierOf(lease.SlaTier);
        var events = await db.LeaseEvents.AsNoTracking().Where(e => e.LeaseId == leaseId && e.At < to).OrderBy(e => e.Id).ToListAsync(ct);
        var steps = events.Select(e => new LeaseStep(e.At, Enum.Parse<LeaseState>(e.State), e.HostId, e.Reason)).ToList();
        var evidence = new Dictionary<string, HostEvidence>(StringComparer.Ordinal);
        foreach (var host in steps.Where(s => s.HostId is not null).Select(s => s.HostId!).Distinct(StringComparer.Ordinal))
            evidence[host] = await EvidenceAsync(db, host, tier, session, from, to, ct);
        var service = LeaseDowntime.Measure(tier, session, steps, h => evidence.GetValueOrDefault(h) ?? HostEvidence.None, from, to);
        return new LeaseMeasure(lease.Id, lease.Owner, tier, session, service);
    }

    /// <summary>The host's record in [<paramref name="from"/>, <paramref name="to"/>); null when there is no such host.</summary>
    public async Task<HostMeasure?> HostAsync(string hostId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId, ct);
        if (host is null)
            return null;
        var evidence = await EvidenceAsync(db, hostId, null, false, from, to, ct);
        var registered = evidence.Steps.Count > 0 ? evidence.Steps[0].At : to;
        var start = registered > from ? registered : from;
        var windows = DowntimeTimeline.Windows(HostDowntime.Signals(evidence, null, false), start, to);
        return new HostMeasure(hostId, start, to, to > start ? (to - start).TotalSeconds : 0, windows);
    }

    /// <summary>The ids of <paramref name="customer"/>'s leases that ran at some time in [<paramref name="from"/>,
    /// <paramref name="to"/>), oldest first.</summary>
    public async Task<List<string>> LeasesOfAsync(string customer, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Leases.AsNoTracking()
            .Where(l => l.Owner == customer && l.StartedAt != null && l.StartedAt < to && (l.EndedAt == null || l.EndedAt >= from))
            .Select(l => new { l.Id, l.CreatedAt }).ToListAsync(ct);
        return [.. rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Id)];
    }

    /// <summary>The tier called <paramref name="name"/>; a tier no longer configured reads as the first configured one,
    /// so old leases stay measurable.</summary>
    public SlaTier TierOf(string name) => tiers.Find(name) ?? tiers.Find("standard") ?? tiers.All.Values.First();

    private static async Task<HostEvidence> EvidenceAsync(GpunetDb db, string hostId, SlaTier? tier, bool session, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var before = await db.HostTransitions.AsNoTracking().Where(t => t.HostId == hostId && t.At < from)
            .OrderByDescending(t => t.At).ThenByDescending(t => t.Id).FirstOrDefaultAsync(ct);
        var within = await db.HostTransitions.AsNoTracking().Where(t => t.HostId == hostId && t.At >= from && t.At < to)
            .OrderBy(t => t.At).ThenBy(t => t.Id).ToListAsync(ct);
        var steps = (before is null ? within : [before, .. within])
            .Select(t => new HostStep(t.At, Enum.TryParse<HostState>(t.To, out var s) ? s : HostState.Pending, t.Reason)).ToList();

        var since = from - Lookback;
        var failed = await db.Checks.AsNoTracking()
            .Where(c => c.HostId == hostId && c.Outcome == CheckOutcomes.Failed && c.IssuedAt >= since && c.IssuedAt < to && c.DecidedAt != null)
            .ToListAsync(ct);
        var capacity = await db.Checks.AsNoTracking()
            .Where(c => c.HostId == hostId && c.Kind == CheckKind.Capacity && c.Outcome == CheckOutcomes.Passed && c.DecidedAt != null
                && c.DecidedAt >= since && c.DecidedAt < to)
            .ToListAsync(ct);
        var facts = new List<CheckFact>();
        foreach (var c in failed)
        {
            facts.Add(Fact(c, null, null));
            // Where the failure's window ends: the next passed check of its kind.
            var next = await db.Checks.AsNoTracking()
                .Where(n => n.HostId == hostId && n.Kind == c.Kind && n.Outcome == CheckOutcomes.Passed && n.IssuedAt > c.IssuedAt && n.DecidedAt != null)
                .OrderBy(n => n.IssuedAt).FirstOrDefaultAsync(ct);
            if (next is not null && next.IssuedAt < to)
                facts.Add(Fact(next, null, null));
        }

        foreach (var c in capacity)
        {
            var reports = await db.CheckReports.AsNoTracking().Where(r => r.CheckId == c.Id && r.Passed).ToListAsync(ct);
            facts.Add(Fact(c, SpeedShare(reports), null));
        }

        if (tier is not null && session)
            facts.AddRange(await SlowServiceAsync(db, hostId, tier, from, to, ct));

        var maintenance = await db.MaintenanceWindows.AsNoTracking()
            .Where(m => m.HostId == hostId && m.CancelledAt == null && m.From < to && m.To > from)
            .OrderBy(m => m.From).ToListAsync(ct);
        return new HostEvidence(steps,
            [.. facts.DistinctBy(f => f.Id).OrderBy(f => f.IssuedAt)],
            [.. maintenance.Select(m => new MaintenanceSpan(m.From, m.To, m.Reason))]);
    }

    // Service checks whose median round trip went over the tier's bound, each with the next service check (where the
    // degraded stretch ends).
    private static async Task<List<CheckFact>> SlowServiceAsync(GpunetDb db, string hostId, SlaTier tier, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var bound = (long)(tier.SessionLatencyMs * 1000);
        var slow = await (from c in db.Checks.AsNoTracking()
                          join r in db.CheckReports.AsNoTracking() on c.Id equals r.CheckId
                          where c.HostId == hostId && c.Kind == CheckKind.Service && c.Outcome == CheckOutcomes.Passed
                              && c.IssuedAt >= @from && c.IssuedAt < to && r.RoundTripMicros > bound
                          select c).Distinct().ToListAsync(ct);
        var facts = new List<CheckFact>();
        foreach (var c in slow)
        {
            var trips = await db.CheckReports.AsNoTracking().Where(r => r.CheckId == c.Id && r.Passed).Select(r => r.RoundTripMicros).ToListAsync(ct);
            var median = SessionLatencyRule.Median([.. trips.Select(us => us / 1000.0)]);
            if (median is null || median <= tier.SessionLatencyMs)
                continue;
            facts.Add(Fact(c, null, median));
            var next = await db.Checks.AsNoTracking()
                .Where(n => n.HostId == hostId && n.Kind == CheckKind.Service && n.IssuedAt > c.IssuedAt && n.DecidedAt != null)
                .OrderBy(n => n.IssuedAt).FirstOrDefaultAsync(ct);
            if (next is not null && next.IssuedAt < to)
                facts.Add(Fact(next, null, null));
        }

        return facts;
    }

    private static CheckFact Fact(CheckRecord c, double? share, double? rttMs) =>
        new(c.Id, c.Kind, c.IssuedAt, c.DecidedAt ?? c.Deadline, c.Outcome == CheckOutcomes.Passed, share, rttMs);

    // The slowest GPU's speed as a share of its model's, the median over the passing reports.
    private static double? SpeedShare(List<CheckReportRecord> reports)
    {
        var shares = reports.Select(CheckViews.SlowestSpeedShare).OfType<double>().ToList();
        return SessionLatencyRule.Median(shares);
    }

}

using Gpunet.Coordinator.Storage;
using Gpunet.Coordinator.Verification;
using Gpunet.Core.Verification;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Reads an epoch's <see cref="EpochChecks"/> from the verification module's stored checks and reports: a
/// fixed number of queries whatever the number of hosts and checkers, grouped in memory, never one per host.</summary>
internal static class StoredEpochChecks
{
    /// <summary>How far back incorrect marks can still suspend a checker in the epoch: a mark starts a suspension only
    /// with another within the window before it, and the suspension lasts from the mark.</summary>
    private static readonly TimeSpan MarksReach = MajorityPenaltyPolicy.Default.Window + MajorityPenaltyPolicy.Default.Suspension;

    public static async Task<EpochChecks> ReadAsync(GpunetDb db, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        var licensed = await db.CheckerLicences.AsNoTracking().AnyAsync(l => l.GrantedAt < end && (l.RevokedAt == null || l.RevokedAt > start), ct);
        // Reports outlive licences (a revoked checker is still paid for what it got right), so they are read either way.
        var decided = db.Checks.AsNoTracking().Where(c => c.DecidedAt >= start && c.DecidedAt < end);
        var correct = await (from r in db.CheckReports.AsNoTracking()
                             where r.Correct == true
                             join c in decided on r.CheckId equals c.Id
                             group r by r.Checker into g
                             select new { Checker = g.Key, Count = g.LongCount() }).ToDictionaryAsync(x => x.Checker, x => x.Count, StringComparer.Ordinal, ct);
        if (!licensed && correct.Count == 0)
            return EpochChecks.None;

        var since = start - MarksReach;
        var marks = await (from r in db.CheckReports.AsNoTracking()
                           where r.Correct == false
                           join c in db.Checks.AsNoTracking() on r.CheckId equals c.Id
                           where c.DecidedAt >= since && c.DecidedAt < end
                           select new { r.Checker, c.DecidedAt }).ToListAsync(ct);
        var marked = marks.Select(m => m.Checker).ToHashSet(StringComparer.Ordinal);
        var correctOfMarked = marked.Count == 0 ? [] : await (from r in db.CheckReports.AsNoTracking()
                                                              where r.Correct == true && marked.Contains(r.Checker)
                                                              join c in decided on r.CheckId equals c.Id
                                                              select new { r.Checker, r.ReceivedAt }).ToListAsync(ct);

        var capacity = new Dictionary<string, List<DecidedCheck>>(StringComparer.Ordinal);
        var liveness = new Dictionary<string, List<DecidedCheck>>(StringComparer.Ordinal);
        if (licensed)
        {
            var inEpoch = await decided.Where(c => c.Kind == CheckKind.Capacity && (c.Outcome == CheckOutcomes.Passed || c.Outcome == CheckOutcomes.Failed))
                .Select(c => new { c.HostId, c.DecidedAt, c.Outcome }).ToListAsync(ct);
            // The state each host starts the epoch in: the latest pass and the latest failure before it, per host.
            var before = await db.Checks.AsNoTracking()
                .Where(c => c.Kind == CheckKind.Capacity && c.DecidedAt < start && (c.Outcome == CheckOutcomes.Passed || c.Outcome == CheckOutcomes.Failed))
                .GroupBy(c => new { c.HostId, c.Outcome }).Select(g => new { g.Key.HostId, DecidedAt = g.Max(c => c.DecidedAt), g.Key.Outcome }).ToListAsync(ct);
            foreach (var c in before.Concat(inEpoch))
                Add(capacity, c.HostId, c.DecidedAt, c.Outcome);

            // Only hosts that failed one need their liveness checks: the rule takes time away around failures alone.
            var failing = decided.Where(c => c.Kind == CheckKind.Liveness && c.Outcome == CheckOutcomes.Failed && !c.Honeypot).Select(c => c.HostId);
            var around = await decided.Where(c => c.Kind == CheckKind.Liveness && failing.Contains(c.HostId))
                .Select(c => new { c.HostId, c.DecidedAt, c.Outcome }).ToListAsync(ct);
            foreach (var c in around)
                Add(liveness, c.HostId, c.DecidedAt, c.Outcome);
        }

        return new EpochChecks(licensed, capacity, liveness, correct,
            [.. marks.Select(m => (m.Checker, m.DecidedAt!.Value))], [.. correctOfMarked.Select(r => (r.Checker, r.ReceivedAt))]);
    }

    private static void Add(Dictionary<string, List<DecidedCheck>> checks, string hostId, DateTimeOffset? at, string outcome)
    {
        if (at is not { } decidedAt)
            return;
        if (!checks.TryGetValue(hostId, out var list))
            checks[hostId] = list = [];
        list.Add(new DecidedCheck(decidedAt, outcome switch
        {
            CheckOutcomes.Passed => MajorityOutcome.Passed,
            CheckOutcomes.Failed => MajorityOutcome.Failed,
            _ => MajorityOutcome.Undecided,
        }));
    }
}

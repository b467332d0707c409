using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Verification;

/// <summary>What verification keeps in memory, read back from the store when the coordinator starts, and checks left
/// pending by a coordinator that stopped before deciding them.</summary>
internal sealed class VerificationRestore(IDbContextFactory<GpunetDb> store, HostHolds holds, CheckerStandings standings, TimeProvider time,
    IOptions<VerificationOptions> options)
{
    /// <summary>How long past its deadline a pending check is left to the coordinator that issued it.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(1);

    /// <summary>Holds hosts whose latest decided capacity check failed, and reads the checkers' incorrect marks that can
    /// still suspend them and their fail dissents that can still hold them back.</summary>
    public async Task RestoreAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await store.CreateDbContextAsync(ct);
        var latest = (await db.Checks.AsNoTracking()
                .Where(c => c.Kind == Core.Verification.CheckKind.Capacity && !c.Honeypot && (c.Outcome == CheckOutcomes.Passed || c.Outcome == CheckOutcomes.Failed))
                .Select(c => new { c.Id, c.HostId, c.Outcome, c.DecidedAt, c.Consequence }).ToListAsync(ct))
            .GroupBy(c => c.HostId).Select(g => g.MaxBy(c => c.DecidedAt)!);
        foreach (var c in latest.Where(c => c.Outcome == CheckOutcomes.Failed))
        {
            // Slashed already, or still to be confirmed (the first check after the restart confirms it).
            holds.Hold(c.HostId, c.Consequence.Contains("slashed", StringComparison.Ordinal)
                ? $"{HostConsequences.CapacityHoldPrefix}{c.Id}; not matched until it passes again"
                : $"{HostConsequences.ConfirmHoldPrefix}{c.Id}; checked again before any slash");
        }
        var since = now - standings.Policy.Window - standings.Policy.Suspension;
        var marks = await (from r in db.CheckReports.AsNoTracking()
                           join c in db.Checks.AsNoTracking() on r.CheckId equals c.Id
                           where r.Correct == false && c.DecidedAt >= since
                           select new { r.Checker, c.DecidedAt }).ToListAsync(ct);
        foreach (var m in marks)
            standings.Incorrect(m.Checker, m.DecidedAt!.Value);
        await RestoreDissentsAsync(db, now, ct);
    }

    // Each checker's reports on passed checks within the fail-dissent window (FailDissentPolicy): its fails one by one,
    // with the host's operator; its agreements counted by the day, each day's at the day's end (so they are kept up to a
    // day longer than they would have been, which only lowers a share). A first panel that escalated counts with its
    // second panel's decision. A capacity fail the passers' own timings backed (TimingFailBacking: neither marked nor a
    // fail dissent) counts as a report, judged again from the stored reports and the task's bands as the decider judged it.
    // A capacity fail of a pass decided by its first panel alone counts only where it was marked, as the decider counted it.
    private async Task RestoreDissentsAsync(GpunetDb db, DateTimeOffset now, CancellationToken ct)
    {
        var since = now - standings.DissentPolicy.Window;
        var passed = db.Checks.AsNoTracking().Where(c => !c.Honeypot && c.DecidedAt >= since && (c.Outcome == CheckOutcomes.Passed
            || (c.Outcome == CheckOutcomes.Escalated && db.Checks.Any(s => s.Id == c.EscalatedTo && s.Outcome == CheckOutcomes.Passed))));
        var fails = await (from r in db.CheckReports.AsNoTracking()
                           join c in passed on r.CheckId equals c.Id
                           where r.Correct != true
                           select new { r.Checker, r.CheckId, r.Correct, c.Kind, c.HostOperator, c.DecidedAt, OnePanel = c.EscalatedTo == null && c.EscalatedFrom == null })
                           .ToListAsync(ct);
        var backed = await BackedAsync(db, [.. fails.Where(f => f.Kind == CheckKind.Capacity && f.Correct is null && !f.OnePanel).Select(f => f.CheckId).Distinct()], ct);
        foreach (var f in fails.Where(f => Core.Identity.Address.TryParse(f.HostOperator, out _)))
        {
            // A capacity fail of a pass one panel decided counted only from a checker already held back, whose fail was
            // then marked (FailDissentHistory.CountDecided, DissentRules): unmarked, the decider did not count it.
            if (f.Kind == CheckKind.Capacity && f.OnePanel && f.Correct is null)
                continue;
            if (backed.Contains((f.CheckId, f.Checker)))
                standings.Dissents(f.Checker).Agreed(f.Kind, f.DecidedAt!.Value);
            else
                standings.Dissents(f.Checker).FailDissent(f.Kind, f.DecidedAt!.Value, Core.Identity.Address.Parse(f.HostOperator));
        }
        for (var start = since; start < now; start += TimeSpan.FromDays(1))
        {
            // The last day ends at now, which it includes (a check decided this instant).
            var last = start + TimeSpan.FromDays(1) >= now;
            var until = last ? now : start + TimeSpan.FromDays(1);
            var agreed = await (from r in db.CheckReports.AsNoTracking()
                                join c in passed on r.CheckId equals c.Id
                                where r.Correct == true && c.DecidedAt >= start && (c.DecidedAt < until || (last && c.DecidedAt == until))
                                group r by new { r.Checker, c.Kind } into g
                                select new { g.Key.Checker, g.Key.Kind, Count = g.Count() }).ToListAsync(ct);
            foreach (var a in agreed)
                standings.Dissents(a.Checker).Agreed(a.Kind, until, a.Count);
        }
    }

    // The (check, checker) fails of these escalated capacity checks that the passers' own timings back: each pair of
    // panels decided again over both, as the decider did (TimingFailBacking.Backed). Two reads whatever their number:
    // the checks with their other panels, then every report of them.
    private async Task<HashSet<(string Check, string Checker)>> BackedAsync(GpunetDb db, List<string> checkIds, CancellationToken ct)
    {
        var backed = new HashSet<(string, string)>();
        if (checkIds.Count == 0)
            return backed;
        var checks = await db.Checks.AsNoTracking()
            .Where(c => checkIds.Contains(c.Id) || (c.EscalatedTo != null && checkIds.Contains(c.EscalatedTo)) || (c.EscalatedFrom != null && checkIds.Contains(c.EscalatedFrom)))
            .ToDictionaryAsync(c => c.Id, StringComparer.Ordinal, ct);
        var ids = checks.Keys.ToList();
        var reportsOf = (await db.CheckReports.AsNoTracking().Where(r => ids.Contains(r.CheckId)).ToListAsync(ct))
            .ToLookup(r => r.CheckId, StringComparer.Ordinal);
        var timing = options.Value.TimingOptions();
        // Keyed by the first panel: both checks of a pair are judged by one decision.
        foreach (var first in checks.Values.Where(c => c.EscalatedTo is not null && checks.ContainsKey(c.EscalatedTo)))
        {
            var second = checks[first.EscalatedTo!];
            var task = CheckViews.TaskOf(second);
            var bands = CheckViews.TimingOf(task, timing);
            try
            {
                var reports = reportsOf[first.Id].Concat(reportsOf[second.Id]).Select(r => CheckViews.MajorityOf(r, task, bands)).ToList();
                var assigned = new[] { first, second }.SelectMany(p => p.Checkers.Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(Address.Parse).ToList();
                var result = MajorityRules.Decide(assigned, reports);
                foreach (var checker in TimingFailBacking.Backed(first.Kind, result, reports, bands).Keys)
                {
                    backed.Add((first.Id, checker.Value));
                    backed.Add((second.Id, checker.Value));
                }
            }
            catch (Exception e) when (e is FormatException or ArgumentException or System.Text.Json.JsonException)
            {
                // A row the decider could not have written (an address or panel that does not parse): its fails count.
            }
        }

        return backed;
    }

    /// <summary>Marks undecided the checks still pending long past their deadline: their coordinator stopped first.</summary>
    public async Task<int> AbandonAsync(CancellationToken ct)
    {
        var cutoff = StoreTime.Now(time) - AbandonedAfter;
        await using var db = await store.CreateDbContextAsync(ct);
        return await db.Checks.Where(c => c.Outcome == CheckOutcomes.Pending && c.Deadline < cutoff)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Outcome, CheckOutcomes.Undecided).SetProperty(c => c.DecidedAt, StoreTime.Now(time))
                .SetProperty(c => c.Consequence, "undecided: the coordinator that issued it stopped before its deadline")
                .SetProperty(c => c.Version, c => c.Version + 1), ct);
    }
}

using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Verification;

/// <summary>What verification keeps in memory, read back from the store when the coordinator starts, and checks left
/// pending by a coordinator that stopped before deciding them.</summary>
internal sealed class VerificationRestore(IDbContextFactory<GpunetDb> store, HostHolds holds, CheckerStandings standings, TimeProvider time)
{
    /// <summary>How long past its deadline a pending check is left to the coordinator that issued it.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(1);

    /// <summary>Holds hosts whose latest decided capacity check failed, and reads the checkers' incorrect marks that can
    /// still suspend them.</summary>
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

using Gpunet.Coordinator.Storage;
using Gpunet.Coordinator.Verification;
using Gpunet.Core.Verification;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Services.Verification;

/// <summary>The checks retention sweep on the fake clock: passed liveness and service checks older than the retention go,
/// with their reports, in batches; everything that is evidence stays.</summary>
public sealed class CheckRetentionTests
{
    [Fact]
    public async Task Sweep_OldPassedLivenessAndService_DeletedWithReports_EvidenceAndRecentKept()
    {
        await using var c = await CheckFlowTests.StartAsync(o => o.Verification.RetentionBatch = 2);
        var now = c.Clock().GetUtcNow();
        var old = now - TimeSpan.FromDays(91);
        var recent = now - TimeSpan.FromDays(60);
        var store = c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>();
        await using (var db = await store.CreateDbContextAsync())
        {
            foreach (var (id, kind, outcome, at, honeypot) in new[]
                     {
                         ("chk_old_live1", CheckKind.Liveness, CheckOutcomes.Passed, old, false),
                         ("chk_old_live2", CheckKind.Liveness, CheckOutcomes.Passed, old, false),
                         ("chk_old_live3", CheckKind.Liveness, CheckOutcomes.Passed, old, false),
                         ("chk_old_svc", CheckKind.Service, CheckOutcomes.Passed, old, false),
                         ("chk_old_failed", CheckKind.Liveness, CheckOutcomes.Failed, old, false),
                         ("chk_old_undecided", CheckKind.Service, CheckOutcomes.Undecided, old, false),
                         ("chk_old_cap", CheckKind.Capacity, CheckOutcomes.Passed, old, false),
                         ("chk_old_pot", CheckKind.Liveness, CheckOutcomes.Passed, old, true),
                         ("chk_recent", CheckKind.Liveness, CheckOutcomes.Passed, recent, false),
                     })
            {
                db.Checks.Add(new CheckRecord
                {
                    Id = id, HostId = "host_r", HostOperator = "0x" + new string('1', 40), Kind = kind, IssuedAt = at, Deadline = at,
                    Checkers = "0x" + new string('2', 40), Outcome = outcome, DecidedAt = at, Honeypot = honeypot,
                });
                db.CheckReports.Add(new CheckReportRecord { CheckId = id, Checker = "0x" + new string('2', 40), Signature = "0x00", ReceivedAt = at });
                db.CheckRefusals.Add(new CheckRefusalRecord { CheckId = id, Checker = "0x" + new string('3', 40), Reason = "Replayed", At = at });
            }

            // Refusals naming checks that never were: an old one goes, a recent one stays.
            db.CheckRefusals.Add(new CheckRefusalRecord { CheckId = "chk_forged_old", Checker = "0x" + new string('3', 40), Reason = "NotAssigned", At = old });
            db.CheckRefusals.Add(new CheckRefusalRecord { CheckId = "chk_forged_new", Checker = "0x" + new string('3', 40), Reason = "NotAssigned", At = recent });

            await db.SaveChangesAsync();
        }

        var deleted = await c.App.Services.GetRequiredService<CheckRetention>().SweepAsync(CancellationToken.None);

        await using var after = await store.CreateDbContextAsync();
        var left = await after.Checks.Where(x => x.HostId == "host_r").Select(x => x.Id).OrderBy(x => x).ToListAsync();
        var reports = await after.CheckReports.Where(r => r.CheckId.StartsWith("chk_old_live") || r.CheckId == "chk_old_svc").CountAsync();
        Assert.Equal(4, deleted); // in batches of 2
        Assert.Equal(["chk_old_cap", "chk_old_failed", "chk_old_pot", "chk_old_undecided", "chk_recent"], left);
        Assert.Equal(0, reports);
        var refusals = await after.CheckRefusals.Select(r => r.CheckId).OrderBy(x => x).ToListAsync();
        Assert.Equal(["chk_forged_new", "chk_old_cap", "chk_old_failed", "chk_old_pot", "chk_old_undecided", "chk_recent"], refusals);
        Assert.Equal(0, await c.App.Services.GetRequiredService<CheckRetention>().SweepAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Start_RetentionShorterThanAnyReader_Refused()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => CheckFlowTests.StartAsync(o => o.Verification.ChecksRetention = TimeSpan.FromDays(30)));
        Assert.Contains("ChecksRetention", refused.ToString(), StringComparison.Ordinal);
    }
}

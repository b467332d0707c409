using Gpunet.Coordinator.Storage;
using Gpunet.Coordinator.Verification;
using Gpunet.Core.Verification;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gpunet.IntegrationTests.Verification;

/// <summary>A coordinator that starts reads its checkers' fail dissents back from the store (<see cref="VerificationRestore"/>),
/// on SQLite and PostgreSQL: passed checks of the week, a first panel whose second passed, and nothing older or planted.</summary>
public sealed class FailDissentRestoreTests
{
    private static readonly string Honest = "0x" + new string('a', 40), Failing = "0x" + new string('f', 40);

    [Theory]
    [MemberData(nameof(TestStores.Providers), MemberType = typeof(TestStores))]
    public async Task Restore_FailsOfSixOperatorsHostsThisWeek_HeldBackAgain_OlderAndHoneypotChecksLeftOut(string provider)
    {
        await using var c = await TestCoordinator.StrictAsync(provider);
        var now = c.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var store = c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>();
        await using (var db = await store.CreateDbContextAsync())
        {
            // Five passed capacity checks this week and a first panel (the sixth operator's) whose second panel passed it:
            // the failing checker failed them all; eight days ago and on a honeypot it failed more, which no longer count.
            for (var i = 0; i < 5; i++)
                Add(db, $"chk_pass{i}", i, CheckOutcomes.Passed, now.AddHours(-i * 20));
            Add(db, "chk_first", 5, CheckOutcomes.Escalated, now.AddHours(-1), escalatedTo: "chk_second");
            Add(db, "chk_second", 5, CheckOutcomes.Passed, now.AddHours(-1), reports: false);
            Add(db, "chk_old", 6, CheckOutcomes.Passed, now.AddDays(-8));
            Add(db, "chk_pot", 7, CheckOutcomes.Passed, now.AddHours(-2), honeypot: true);
            await db.SaveChangesAsync();
        }

        var standings = new CheckerStandings(c.App.Services.GetRequiredService<IOptions<VerificationOptions>>());
        await ActivatorUtilities.CreateInstance<VerificationRestore>(c.App.Services, standings).RestoreAsync(CancellationToken.None);

        var failing = standings.Dissents(Failing).Standing(CheckKind.Capacity, now);
        Assert.Equal((6L, 6L, 6, true), (failing.Reports, failing.FailDissents, failing.Operators, failing.HeldBack));
        var honest = standings.Dissents(Honest).Standing(CheckKind.Capacity, now);
        Assert.Equal((6L, 0L, 0, false), (honest.Reports, honest.FailDissents, honest.Operators, honest.HeldBack));
    }

    private static void Add(GpunetDb db, string id, int op, string outcome, DateTimeOffset at, bool honeypot = false, string? escalatedTo = null,
        bool reports = true)
    {
        db.Checks.Add(new CheckRecord
        {
            Id = id, HostId = "host_" + op, HostOperator = $"0x{op + 1:x40}", Kind = CheckKind.Capacity, IssuedAt = at, Deadline = at,
            Checkers = $"{Honest},{Failing}", Outcome = outcome, DecidedAt = at, Honeypot = honeypot, EscalatedTo = escalatedTo,
        });
        if (!reports)
            return;
        db.CheckReports.Add(new CheckReportRecord { CheckId = id, Checker = Honest, Passed = true, Signature = "0x00", ReceivedAt = at, Correct = true });
        db.CheckReports.Add(new CheckReportRecord { CheckId = id, Checker = Failing, Passed = false, Signature = "0x00", ReceivedAt = at });
    }
}

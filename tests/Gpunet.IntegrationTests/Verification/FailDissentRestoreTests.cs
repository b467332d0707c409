using System.Text.Json;
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
            // Five passed capacity checks this week, decided by their first panel (the failing checker was held back, so
            // its fails were marked), and a first panel (the sixth operator's) whose second panel passed it: the failing
            // checker failed them all; eight days ago and on a honeypot it failed more, which no longer count.
            for (var i = 0; i < 5; i++)
                Add(db, $"chk_pass{i}", i, CheckOutcomes.Passed, now.AddHours(-i * 20), marked: true);
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

    [Theory]
    [MemberData(nameof(TestStores.Providers), MemberType = typeof(TestStores))]
    public async Task Restore_UnmarkedCapacityFailsOfPassesOnePanelDecided_AreNotFailDissents_AsTheDeciderDidNotCountThem(string provider)
    {
        await using var c = await TestCoordinator.StrictAsync(provider);
        var now = c.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var store = c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>();
        await using (var db = await store.CreateDbContextAsync())
        {
            // Six capacity checks of six operators' hosts, each passed by its first panel alone (too few free checkers to
            // escalate): the decider counted none of the failing checker's fails (it was not held back), and marked none.
            for (var i = 0; i < 6; i++)
                Add(db, $"chk_one{i}", i, CheckOutcomes.Passed, now.AddHours(-i * 20));
            await db.SaveChangesAsync();
        }

        var standings = new CheckerStandings(c.App.Services.GetRequiredService<IOptions<VerificationOptions>>());
        await ActivatorUtilities.CreateInstance<VerificationRestore>(c.App.Services, standings).RestoreAsync(CancellationToken.None);

        var failing = standings.Dissents(Failing).Standing(CheckKind.Capacity, now);
        Assert.Equal((0L, 0, false), (failing.FailDissents, failing.Operators, failing.HeldBack));
    }

    [Theory]
    [MemberData(nameof(TestStores.Providers), MemberType = typeof(TestStores))]
    public async Task Restore_ATimingFailThePassersTimingsBacked_IsAReportNotAFailDissent_AnUnbackedOneStillCounts(string provider)
    {
        await using var c = await TestCoordinator.StrictAsync(provider);
        var now = c.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var store = c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>();
        var seer = "0x" + new string('5', 40);
        var passers = Enumerable.Range(1, 8).Select(i => $"0x{i:x40}").ToList();
        await using (var db = await store.CreateDbContextAsync())
        {
            // Two escalated checks of a card 12 % slow (10 s expected), each failed by the checker on the host's real
            // round trip (40 ms: limit 10,852 ms) and passed by eight on held pings (400 ms: limit 11,320 ms). On the
            // first the eight measured the answer after the seer's limit (backed); on the second, before it (not backed).
            foreach (var (pair, op, passersAnswered) in new[] { ("backed", 1, 11_260_000L), ("unbacked", 2, 10_700_000L) })
            {
                Pair(db, pair, op, now.AddHours(-op), seer, passers);
                Report(db, pair + "_first", seer, 11_240_000, 40_000, now);
                for (var i = 0; i < passers.Count; i++)
                    Report(db, i < 2 ? pair + "_first" : pair + "_second", passers[i], passersAnswered, 400_000, now);
            }

            await db.SaveChangesAsync();
        }

        var standings = new CheckerStandings(c.App.Services.GetRequiredService<IOptions<VerificationOptions>>());
        await ActivatorUtilities.CreateInstance<VerificationRestore>(c.App.Services, standings).RestoreAsync(CancellationToken.None);

        var standing = standings.Dissents(seer).Standing(CheckKind.Capacity, now);
        Assert.Equal((2L, 1L, 1), (standing.Reports, standing.FailDissents, standing.Operators));
    }

    // An escalated capacity check `{pair}_first` of a host of operator `op` (the seer and two passers) whose second panel
    // `{pair}_second` (six more) passed it, with no task (the coordinator's bands, timing enforced).
    private static void Pair(GpunetDb db, string pair, int op, DateTimeOffset at, string seer, List<string> passers)
    {
        db.Checks.Add(new CheckRecord
        {
            Id = pair + "_first", HostId = "host_" + op, HostOperator = $"0x{op + 1:x40}", Kind = CheckKind.Capacity, IssuedAt = at, Deadline = at,
            Checkers = string.Join(',', [seer, .. passers.Take(2)]), Outcome = CheckOutcomes.Escalated, DecidedAt = at, EscalatedTo = pair + "_second",
        });
        db.Checks.Add(new CheckRecord
        {
            Id = pair + "_second", HostId = "host_" + op, HostOperator = $"0x{op + 1:x40}", Kind = CheckKind.Capacity, IssuedAt = at, Deadline = at,
            Checkers = string.Join(',', passers.Skip(2)), Outcome = CheckOutcomes.Passed, DecidedAt = at, EscalatedFrom = pair + "_first",
        });
    }

    // One GPU's signed timing: expected 10 s, the limit its allowance round trip gives (× 1.08, × 1.3); passed when in it.
    private static void Report(GpunetDb db, string check, string checker, long answeredUs, long roundTripUs, DateTimeOffset at)
    {
        var limit = 10_800_000 + (roundTripUs * 13 / 10);
        var passed = answeredUs <= limit;
        db.CheckReports.Add(new CheckReportRecord
        {
            CheckId = check, Checker = checker, Passed = passed, Signature = "0x00", ReceivedAt = at, RoundTripMicros = roundTripUs, Correct = passed ? true : null,
            Gpus = JsonSerializer.Serialize(new[] { new GpuVerdictView(0, passed, true, answeredUs, 10_000_000, passed ? "in time" : "too slow", limit) }, CheckViews.Json),
        });
    }

    private static void Add(GpunetDb db, string id, int op, string outcome, DateTimeOffset at, bool honeypot = false, string? escalatedTo = null,
        bool reports = true, bool marked = false)
    {
        db.Checks.Add(new CheckRecord
        {
            Id = id, HostId = "host_" + op, HostOperator = $"0x{op + 1:x40}", Kind = CheckKind.Capacity, IssuedAt = at, Deadline = at,
            Checkers = $"{Honest},{Failing}", Outcome = outcome, DecidedAt = at, Honeypot = honeypot, EscalatedTo = escalatedTo,
        });
        if (!reports)
            return;
        db.CheckReports.Add(new CheckReportRecord { CheckId = id, Checker = Honest, Passed = true, Signature = "0x00", ReceivedAt = at, Correct = true });
        db.CheckReports.Add(new CheckReportRecord { CheckId = id, Checker = Failing, Passed = false, Signature = "0x00", ReceivedAt = at, Correct = marked ? false : null });
    }
}

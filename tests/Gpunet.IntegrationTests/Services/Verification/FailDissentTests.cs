using System.Net.Http.Json;
using Gpunet.Coordinator.Verification;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Gpunet.IntegrationTests.Services.Verification.CheckFlowTests;

namespace Gpunet.IntegrationTests.Services.Verification;

/// <summary>A checker that fails hosts every other checker passes (<see cref="FailDissentPolicy"/>): failing the hosts of
/// five operators holds it back (its fails no longer escalate) and marks it, which suspends it; one operator answering a
/// checker wrong on every host it has cannot get it marked; a restarted coordinator reads the standing back. Real gRPC
/// streams, the fake clock.</summary>
[LongRunning]
public sealed class FailDissentTests
{
    [Fact]
    public async Task AlwaysFailChecker_HostsOfSixOperatorsTheOthersPass_HeldBackMarkedSuspendedAndShown_ButNotOnAFirstPanelsCapacityPass()
    {
        await using var c = await StartAsync();
        var clock = c.Clock();
        var checkers = await CheckersAsync(c, 3);
        var bad = checkers[2];
        var hosts = new List<FakeAgent>();
        for (var i = 0; i < 6; i++)
            hosts.Add(await FakeAgent.ConnectAsync(c, $"operator-{i}", probeEndpoint: "http://127.0.0.1:9"));

        // Every check goes to all three: two pass what they are given, the third fails all of it, capacity and liveness.
        var decided = await AnswerUntilAsync(c, checkers, k => k != bad,
            checks => checks.Count(x => x.Kind == CheckKind.Capacity && x.Outcome == "passed") == 6
                && checks.Count(x => x.Kind == CheckKind.Liveness && x.Outcome == "passed") >= 18);
        var standing = await StandingAsync(c, bad.Address);

        Assert.True(standing.HeldBack && standing.Suspended);
        Assert.True(standing.IncorrectThisWeek >= 2, $"{standing.IncorrectThisWeek} incorrect marks");
        // Liveness has no second panel: every fail of a host the others passed counts, and from the fifth operator on
        // they are marked, with the reason.
        var onLiveness = standing.FailDissents.Single(d => d.Kind == CheckKind.Liveness);
        Assert.True(onLiveness.HeldBack && onLiveness.Operators >= 5, $"{onLiveness.Operators} operators");
        var marked = decided.Where(x => x.Kind == CheckKind.Liveness && x.Reports.Any(r => r.Checker == bad.Address && r.Correct == false)).ToList();
        Assert.NotEmpty(marked);
        Assert.All(marked, x => Assert.Contains($"{bad.Address} in the minority: failed a host the majority passed, and within the week failed liveness checks of hosts of",
            x.Consequence, StringComparison.Ordinal));
        // A capacity pass of three checkers, with no fourth for a second panel, counts no fail against the one that failed:
        // where a cheat fools two of three, the one that fails it is right (FailDissentHistory.CountDecided).
        var onCapacity = standing.FailDissents.SingleOrDefault(d => d.Kind == CheckKind.Capacity);
        Assert.True(onCapacity is null || (onCapacity.FailDissents == 0 && !onCapacity.HeldBack));
        var capacity = decided.Where(x => x.Kind == CheckKind.Capacity && x.Outcome == "passed").ToList();
        Assert.All(capacity, x => Assert.All(x.Reports.Where(r => r.Checker == bad.Address), r => Assert.Null(r.Correct)));
        // The honest two: right on every check, never held back.
        foreach (var k in checkers.Where(k => k != bad))
        {
            var honest = await StandingAsync(c, k.Address);
            Assert.Equal((0, false, false), (honest.IncorrectThisWeek, honest.Suspended, honest.HeldBack));
            Assert.All(decided.Where(x => x.Outcome == "passed"), x => Assert.All(x.Reports.Where(r => r.Checker == k.Address), r => Assert.True(r.Correct)));
        }

        // A coordinator starting over reads it all back from the store: still held back, still suspended.
        var restarted = new CheckerStandings(c.App.Services.GetRequiredService<IOptions<VerificationOptions>>());
        await ActivatorUtilities.CreateInstance<VerificationRestore>(c.App.Services, restarted).RestoreAsync(CancellationToken.None);
        var now = c.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        Assert.Equal(standing.Suspended, restarted.Suspended(bad.Address, now));
        Assert.True(restarted.Dissents(bad.Address).Standing(CheckKind.Liveness, now).HeldBack);
        Assert.False(restarted.Dissents(checkers[0].Address).Standing(CheckKind.Liveness, now).HeldBack);
        Assert.Equal(6L, restarted.Dissents(checkers[0].Address).Standing(CheckKind.Capacity, now).Reports);

        foreach (var k in checkers)
            await k.DisposeAsync();
        foreach (var h in hosts)
            await h.DisposeAsync();
    }

    [Fact]
    public async Task OneOperatorAnsweringACheckerWrongOnAllItsHosts_CannotGetItMarked()
    {
        await using var c = await StartAsync();
        var checkers = await CheckersAsync(c, 3);
        var framed = checkers[0];
        var wallet = Wallet.Create();
        var hosts = new List<FakeAgent>();
        for (var i = 0; i < 6; i++)
            hosts.Add(await FakeAgent.ConnectAsync(c, $"framer-{i}", wallet, probeEndpoint: "http://127.0.0.1:9"));

        // The operator's six hosts answer the framed checker late or wrong, so it fails them all; the others pass them.
        var checks = await AnswerUntilAsync(c, checkers, k => k != framed,
            all => all.Count(x => x.Kind == CheckKind.Capacity && x.Outcome == "passed") == 6
                && all.Count(x => x.Kind == CheckKind.Liveness && x.Outcome == "passed") >= 12);

        var standing = await StandingAsync(c, framed.Address);
        Assert.Equal((0, false, false), (standing.IncorrectThisWeek, standing.Suspended, standing.HeldBack));
        Assert.All(standing.FailDissents.Where(d => d.FailDissents > 0), d => Assert.Equal(1, d.Operators));
        Assert.All(checks.Where(x => x.Outcome == "passed"),
            x => Assert.Null(x.Reports.Single(r => r.Checker == framed.Address).Correct));
        foreach (var k in checkers)
            await k.DisposeAsync();
        foreach (var h in hosts)
            await h.DisposeAsync();
    }

    // Steps the clock and answers every assignment (a pass from the checkers `passes` picks, a fail from the rest) until
    // the decided checks satisfy `done`; returns them.
    private static async Task<List<CheckView>> AnswerUntilAsync(TestCoordinator c, List<FakeChecker> checkers, Func<FakeChecker, bool> passes,
        Func<List<CheckView>, bool> done) =>
        await Eventually.Async(async () =>
        {
            await c.Clock().AdvanceAsync(SteppedClock.Step);
            foreach (var k in checkers)
            {
                while (k.TryNextAssignment(out var a))
                    await k.SendAsync(k.Report(a, passed: passes(k), reason: passes(k) ? "ok" : "no answer"));
            }

            return await ChecksAsync(c, "limit=500");
        }, done, "the checks decided", seconds: 60);

    private static async Task<CheckerStandingView> StandingAsync(TestCoordinator c, string address) =>
        (await c.Admin.GetFromJsonAsync<List<CheckerLicenceView>>("/api/v1/checkers", TestCoordinator.Json))!
        .Single(l => l.Address == address).Standing!;
}

using Gpunet.Coordinator.Verification;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Gpunet.IntegrationTests.Services.Verification.CheckFlowTests;

namespace Gpunet.IntegrationTests.Services.Verification;

/// <summary>Which dissents the coordinator stores as incorrect marks (<see cref="DissentRules"/>): a pass the majority's
/// timings rule out is marked, and the mark is what settlement and the standings read back.</summary>
public sealed class DissentMarkTests
{
    [Fact]
    public async Task CapacityCheck_PassOfAHostTheMajorityTimedAtHalfTheClaimedSpeed_IsMarkedIncorrect()
    {
        // The claimed card's expected compute time E, 2 ms of round trip: two checkers timed the answer at 2.1 E and failed
        // it; the third signed a pass at 1.05 E, which no network or card noise the rules allow makes of the same card.
        static GpuVerdict[] Timed(Assignment a, bool passed, double answered) => [.. a.Capacity.Gpus.Select(g => new GpuVerdict
        {
            Index = g.Index, Passed = passed, ProductCorrect = true, AnsweredUs = (long)(FakeChecker.ExpectedUs(a, g) * answered),
            ExpectedUs = FakeChecker.ExpectedUs(a, g), LimitUs = FakeChecker.LimitUs(a, g, 2_000), Reason = passed ? "in time" : "too slow",
        })];
        var (decided, checkers) = await DecidedAsync(CheckKind.Capacity, (k, i, a) =>
            k.Report(a, passed: i == 2, reason: i == 2 ? "ok" : "too slow", gpus: Timed(a, i == 2, i == 2 ? 1.05 : 2.1)));

        Assert.Equal("failed", decided.Outcome);
        Assert.Contains(checkers[2].Address + " in the minority: passed GPU 0 answered in", decided.Consequence, StringComparison.Ordinal);
        Assert.Equal([true, true, false], checkers.Select(k => decided.Reports.Single(r => r.Checker == k.Address).Correct));
        // The limit each checker signed is shown, and the signature over it still recovers the checker.
        Assert.All(decided.Reports, r => Assert.Equal((Assert.Single(r.Gpus).ExpectedUs * 1.08) + 2_600, r.Gpus[0].LimitUs, 2.0));
        Assert.All(decided.Reports, r => Assert.Equal(r.Checker, new Nethereum.Signer.EthereumMessageSigner().EncodeUTF8AndEcRecover(r.SignedText, r.Signature).ToLowerInvariant()));
    }

    [Fact]
    public async Task LivenessCheck_FailAgainstAPassingMajority_IsNotMarked()
    {
        // The host may answer one checker's path and not another's: "unreachable" from one is honest disagreement.
        var (decided, checkers) = await DecidedAsync(CheckKind.Liveness, (k, i, a) =>
            k.Report(a, passed: i != 1, reason: i == 1 ? "unreachable" : "ok"));

        Assert.Equal("passed", decided.Outcome);
        Assert.Contains(checkers[1].Address + " in the minority: failed a host the majority passed: a host can answer one checker late, wrong or not at all; not marked", decided.Consequence, StringComparison.Ordinal);
        Assert.Equal([true, null, true], checkers.Select(k => decided.Reports.Single(r => r.Checker == k.Address).Correct));
    }

    [Fact]
    public async Task Decision_JudgesTimingsByTheBandsTheTaskWasIssuedWith_NotTheDecidersOwn()
    {
        // Five checkers, N = 2: one panel of five, and a fifth report that never comes, so the check waits in the book.
        await using var c = await StartAsync(o =>
        {
            o.Verification.EnforceRealGpuTiming = true;
            o.Verification.CheckersN = 2;
        });
        var clock = c.Clock();
        var checkers = await CheckersAsync(c, 5);
        await using var host = await FakeAgent.ConnectAsync(c, "bands", probeEndpoint: "http://127.0.0.1:9");
        await clock.AdvanceAsync(2 * SteppedClock.Step);
        var panel = await AssignedAsync(checkers, CheckKind.Capacity);
        Assert.Equal((0.08, 0.30), (panel.Values.First().Capacity.CardBand, panel.Values.First().Capacity.JitterBand));

        // The claimed card's expected time E, 2 ms of round trip in each signed limit (E × 1.08 + 2 × 1.3 ms): three
        // time the answer at 2.1 E and fail it, one passes it at 1.05 E.
        static GpuVerdict[] Timed(Assignment a, bool passed, double answered) => [.. a.Capacity.Gpus.Select(g => new GpuVerdict
        {
            Index = g.Index, Passed = passed, ProductCorrect = true, AnsweredUs = (long)(FakeChecker.ExpectedUs(a, g) * answered),
            ExpectedUs = FakeChecker.ExpectedUs(a, g), LimitUs = FakeChecker.LimitUs(a, g, 2_000),
        })];
        var reporting = panel.Keys.Take(4).ToList();
        for (var k = 0; k < reporting.Count; k++)
        {
            var (who, a) = (reporting[k], panel[reporting[k]]);
            var ack = await who.SendAsync(who.Report(a, passed: k == 0, gpus: Timed(a, k == 0, k == 0 ? 1.05 : 2.1)));
            Assert.True(ack.Accepted, ack.Reason);
        }

        // A decider whose own card band is 0.6 (as after a change of configuration): by its bands the pass would be
        // within card noise of the others; by the task's 0.08 it cannot be the same card.
        var book = c.App.Services.GetRequiredService<CheckBook>();
        Assert.True(book.TryTake(panel.Values.First().CheckId, out var open));
        var changed = Options.Create(new VerificationOptions { CapacityCardBand = 0.6 });
        var decider = ActivatorUtilities.CreateInstance<CheckDecider>(c.App.Services, changed);
        await decider.DecideAsync(open, CancellationToken.None);

        var decided = await CheckAsync(c, open.Id);
        Assert.Equal("failed", decided.Outcome);
        Assert.False(decided.Reports.Single(r => r.Checker == reporting[0].Address).Correct);
        Assert.Contains(reporting[0].Address + " in the minority: passed GPU 0 answered in", decided.Consequence, StringComparison.Ordinal);
        foreach (var k in checkers)
            await k.DisposeAsync();
    }

    [Fact]
    public async Task CapacityCheck_HeldBackCheckersTimingFail_BackedByItsSmallerAllowance_IsNotMarked()
    {
        // A checker held back on the fails it made of five operators' hosts that everyone else passed. Now it fails a
        // weaker card behind held pings for time, on the host's real round trip (40 ms); the two others judge on the held
        // pings (400 ms) and pass an answer each of them measured after its limit. Before, that fail was marked: held back.
        await using var c = await StartAsync(o => o.Verification.EnforceRealGpuTiming = true);
        var clock = c.Clock();
        var checkers = await CheckersAsync(c, 3);
        var seer = checkers[0];
        var standings = c.App.Services.GetRequiredService<CheckerStandings>();
        for (var i = 0; i < 5; i++)
            standings.Dissents(seer.Address).FailDissent(CheckKind.Capacity, clock.GetUtcNow().AddMinutes(-10 + i), Address.Parse($"0x{0x0E00_0000 + i:x40}"));
        Assert.True(standings.Dissents(seer.Address).Standing(CheckKind.Capacity, clock.GetUtcNow()).HeldBack);
        await using var host = await FakeAgent.ConnectAsync(c, "held-pings", probeEndpoint: "http://127.0.0.1:9");
        await clock.AdvanceAsync(2 * SteppedClock.Step);
        var assigned = await AssignedAsync(checkers, CheckKind.Capacity);

        static CheckReport Report(FakeChecker k, Assignment a, long roundTripUs, long overUs)
        {
            var g = Assert.Single(a.Capacity.Gpus);
            var (answered, limit) = (FakeChecker.LimitUs(a, g, 40_000) + overUs, FakeChecker.LimitUs(a, g, roundTripUs));
            return k.Report(a, passed: answered <= limit, roundTripUs: roundTripUs, gpus: [new GpuVerdict
            {
                Index = g.Index, Passed = answered <= limit, ProductCorrect = true, AnsweredUs = answered, ExpectedUs = FakeChecker.ExpectedUs(a, g), LimitUs = limit,
            }]);
        }

        for (var i = 0; i < checkers.Count; i++)
        {
            var ack = await checkers[i].SendAsync(i == 0 ? Report(seer, assigned[seer], 40_000, 100_000) : Report(checkers[i], assigned[checkers[i]], 400_000, 150_000 * i));
            Assert.True(ack.Accepted, ack.Reason);
        }

        await clock.AdvanceAsync(SteppedClock.Step);
        var decided = await CheckAsync(c, assigned[seer].CheckId);
        Assert.Equal("passed", decided.Outcome);
        Assert.Equal([null, true, true], checkers.Select(k => decided.Reports.Single(r => r.Checker == k.Address).Correct));
        Assert.Contains($"{seer.Address} in the minority: failed GPU 0 answered in", decided.Consequence, StringComparison.Ordinal);
        Assert.Contains("a timing fail backed by the passers' own measurements", decided.Consequence, StringComparison.Ordinal);
        Assert.Equal(5L, standings.Dissents(seer.Address).Standing(CheckKind.Capacity, clock.GetUtcNow()).FailDissents);
        foreach (var k in checkers)
            await k.DisposeAsync();
    }

    // Three checkers get one check of `kind` of a new host, each sends the report `report` makes (checker, its place in
    // the list, its assignment), and the check is decided. The host's timing is enforced (as a simulated host's is, and a
    // real one's with EnforceRealGpuTiming): where it is only reported, no timing fails a host or marks a checker.
    private static async Task<(CheckView Check, List<FakeChecker> Checkers)> DecidedAsync(string kind, Func<FakeChecker, int, Assignment, CheckReport> report)
    {
        await using var c = await StartAsync(o => o.Verification.EnforceRealGpuTiming = true);
        var clock = c.Clock();
        var checkers = await CheckersAsync(c, 3);
        await using var host = await FakeAgent.ConnectAsync(c, kind, probeEndpoint: "http://127.0.0.1:9");
        await clock.AdvanceAsync(2 * SteppedClock.Step);
        var assigned = await AssignedAsync(checkers, kind);
        for (var i = 0; i < checkers.Count; i++)
        {
            var ack = await checkers[i].SendAsync(report(checkers[i], i, assigned[checkers[i]]));
            Assert.True(ack.Accepted, ack.Reason);
        }

        await clock.AdvanceAsync(SteppedClock.Step);
        return (await CheckAsync(c, assigned[checkers[0]].CheckId), checkers);
    }
}

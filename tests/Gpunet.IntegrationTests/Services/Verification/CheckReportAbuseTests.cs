using System.Net.Http.Json;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;

namespace Gpunet.IntegrationTests.Services.Verification;

/// <summary>Hostile reports on the real checker stream: forged, replayed, late, not assigned, the wrong size, for no such
/// check. Each is refused with its reason and recorded against the sender; the check is decided by the honest reports
/// alone. And planted honeypots (capacity and liveness) catch a checker that passes everything.</summary>
public sealed class CheckReportAbuseTests
{
    [Fact]
    public async Task ForgedReplayedMisshapenUnassignedAndUnknownReports_AreRefused_TheCheckStandsOnTheHonestOnes()
    {
        await using var c = await CheckFlowTests.StartAsync();
        var clock = c.Clock();
        // Four checkers, three assigned (N = 1): one is left out.
        var checkers = await CheckFlowTests.CheckersAsync(c, 4);
        await using var host = await FakeAgent.ConnectAsync(c, "abused", probeEndpoint: "http://127.0.0.1:9");
        await clock.AdvanceAsync(2 * SteppedClock.Step);
        var got = new List<(FakeChecker k, Assignment a)>();
        await Eventually.Async(() =>
        {
            foreach (var k in checkers)
            {
                while (k.TryNextAssignment(out var a))
                    got.Add((k, a));
            }

            return Task.FromResult<object?>(got.Count(x => x.a.Kind == CheckKind.Capacity));
        }, n => (int)n == 3, "three checkers assigned the capacity check");
        var capacity = got.Where(x => x.a.Kind == CheckKind.Capacity).ToList();
        var check = capacity[0].a;
        var outsider = checkers.Single(k => !check.Checkers.Contains(k.Address));
        var (first, second) = (capacity[0].k, capacity[1].k);

        // Not assigned to the sender (even signed properly by it).
        await Refused(outsider, outsider.Report(check, passed: true), "not assigned to this checker");
        // Forged: signed by someone else's key.
        await Refused(first, first.Report(check, passed: false, signer: Wallet.Create()), "does not verify");
        // Signed for another network.
        await Refused(first, first.Report(check, passed: false, network: "mainnet"), "does not verify");
        // A figure changed after signing.
        var altered = first.Report(check, passed: false);
        altered.RoundTripUs += 1;
        await Refused(first, altered, "does not verify");
        // A timing no duration can hold (it would stop the check's decision), signed properly.
        await Refused(first, first.Report(check, passed: true, gpus: [new GpuVerdict { Index = 0, Passed = true, ProductCorrect = true, AnsweredUs = long.MaxValue }]),
            "answered_us, expected_us and limit_us");
        // Text past what a check shows: the report's reason, or a GPU's (the host claims one GPU, index 0).
        await Refused(first, first.Report(check, passed: false, reason: new string('r', 1001)), "reason: longer than 1000");
        await Refused(first, first.Report(check, passed: false, gpus: [new GpuVerdict { Index = 0, Reason = new string('r', 1001) }]),
            "a GPU's reason is longer than 1000");
        // The wrong size: a GPU the host does not claim.
        await Refused(first, first.Report(check, passed: false, gpus: [new GpuVerdict { Index = 0 }, new GpuVerdict { Index = 7 }]), "gpus:");
        // No such check.
        var unknown = first.Report(check, passed: false);
        unknown.CheckId = "chk_000000000000000000000000";
        await Refused(first, unknown, "no open check");

        // An honest report, then the same again: the replay is refused.
        var honest = first.Report(check, passed: false, reason: "GPU 0: wrong product");
        Assert.True((await first.SendAsync(honest)).Accepted);
        await Refused(first, honest, "replay");
        Assert.True((await second.SendAsync(second.Report(check, passed: false, reason: "GPU 0: wrong product"))).Accepted);

        // Late: past the deadline the third checker's report no longer counts, and the check is decided without it.
        await clock.AdvanceAsync(TimeSpan.FromMilliseconds(DateTimeOffset.FromUnixTimeMilliseconds(check.DeadlineUnixMs).Subtract(clock.GetUtcNow()).TotalMilliseconds + 1000));
        var third = capacity[2].k;
        await Refused(third, third.Report(check, passed: true), "no open check");
        var decided = await CheckFlowTests.CheckAsync(c, check.CheckId);
        Assert.Equal("failed", decided.Outcome);
        Assert.Equal(new[] { first.Address, second.Address }.Order(), decided.Reports.Select(r => r.Checker).Order());
        // Nothing the refused reports said reached the record.
        Assert.All(decided.Reports, r => Assert.False(r.Passed));

        foreach (var k in checkers)
            await k.DisposeAsync();
    }

    [Fact]
    public async Task CapacityReportsSigningALimitTheTasksBandsCannotGive_AreRefused_AndCountedAgainstTheSender()
    {
        await using var c = await CheckFlowTests.StartAsync();
        var clock = c.Clock();
        var checkers = await CheckFlowTests.CheckersAsync(c, 3);
        await using var host = await FakeAgent.ConnectAsync(c, "limits", probeEndpoint: "http://127.0.0.1:9");
        await clock.AdvanceAsync(2 * SteppedClock.Step);
        var (k, a) = (await CheckFlowTests.AssignedAsync(checkers, CheckKind.Capacity)).First();
        var gpu = Assert.Single(a.Capacity.Gpus);
        var expected = FakeChecker.ExpectedUs(a, gpu);
        CheckReport Signed(bool passed, long expectedUs, long limitUs) => k.Report(a, passed, roundTripUs: 2_000, gpus:
            [new GpuVerdict { Index = gpu.Index, Passed = passed, ProductCorrect = true, AnsweredUs = expected * 5, ExpectedUs = expectedUs, LimitUs = limitUs }]);

        // A pass of an answer five times the claimed card's time, "within" a limit of a day: a lazy pass dressed as timed.
        await Refused(k, Signed(true, expected, 86_400_000_000), "limit_us");
        // A limit below the claimed card's own expected time: no round trip makes it.
        await Refused(k, Signed(true, expected, expected), "limit_us");
        // A limit that fits a slower expected time than the claimed model's.
        await Refused(k, Signed(true, expected * 5, (expected * 5 * 108 / 100) + 2_600), "expected_us");

        // The limit an honest checker signs, by the task's bands and its own round trip: taken.
        var honest = await k.SendAsync(Signed(false, expected, FakeChecker.LimitUs(a, gpu, 2_000)));
        Assert.True(honest.Accepted, honest.Reason);
        var check = await CheckFlowTests.CheckAsync(c, a.CheckId);
        Assert.Equal(3, check.Refusals.Count(r => r.Checker == k.Address));
        Assert.All(check.Refusals, r => Assert.Contains("gpus: GPU 0", r.Reason, StringComparison.Ordinal));
        Assert.False(Assert.Single(check.Reports).Passed);
        foreach (var checker in checkers)
            await checker.DisposeAsync();
    }

    [Fact]
    public async Task SelfContradictoryCapacityReports_AreRefused_AndCountedAgainstTheSender()
    {
        // The timing rule enforced on this (real) host, so a late answer cannot pass.
        await using var c = await CheckFlowTests.StartAsync(o => o.Verification.EnforceRealGpuTiming = true);
        var clock = c.Clock();
        var checkers = await CheckFlowTests.CheckersAsync(c, 3);
        await using var host = await FakeAgent.ConnectAsync(c, "contradicts", probeEndpoint: "http://127.0.0.1:9");
        await clock.AdvanceAsync(2 * SteppedClock.Step);
        var (k, a) = (await CheckFlowTests.AssignedAsync(checkers, CheckKind.Capacity)).First();
        var gpu = Assert.Single(a.Capacity.Gpus);
        var (expected, limit) = (FakeChecker.ExpectedUs(a, gpu), FakeChecker.LimitUs(a, gpu, 2_000));
        CheckReport Signed(bool passed, bool gpuPassed, bool correct, long answeredUs) => k.Report(a, passed, roundTripUs: 2_000, gpus:
            [new GpuVerdict { Index = gpu.Index, Passed = gpuPassed, ProductCorrect = correct, AnsweredUs = answeredUs, ExpectedUs = expected, LimitUs = limit }]);

        // Each properly signed, each saying two things at once.
        await Refused(k, Signed(true, true, correct: false, expected), "self-contradictory: GPU 0: passed with its product marked wrong");
        await Refused(k, Signed(true, true, correct: true, limit + 1_000), "self-contradictory: GPU 0: passed with an answer at");
        await Refused(k, Signed(true, false, correct: true, limit + 1_000), "self-contradictory: verdict pass with GPU 0 failed");
        await Refused(k, Signed(false, true, correct: true, expected), "self-contradictory: verdict fail with every GPU passed");

        // The same checker's consistent report is taken, and the check records only it.
        var honest = await k.SendAsync(Signed(true, true, correct: true, expected));
        Assert.True(honest.Accepted, honest.Reason);
        var check = await CheckFlowTests.CheckAsync(c, a.CheckId);
        Assert.Equal(4, check.Refusals.Count(r => r.Checker == k.Address && r.Reason.StartsWith("self-contradictory: ", StringComparison.Ordinal)));
        Assert.True(Assert.Single(check.Reports).Passed);
        foreach (var checker in checkers)
            await checker.DisposeAsync();
    }

    [Fact]
    public async Task ALazyCheckerPassesAPlantedHoneypot_IsMarkedIncorrect_AndTwoMarksSuspendIt()
    {
        await using var c = await CheckFlowTests.StartAsync(o => o.Verification.HoneypotShare = 1);
        var clock = c.Clock();
        var checkers = await CheckFlowTests.CheckersAsync(c, 3);
        await using var host = await FakeAgent.ConnectAsync(c, "bait", probeEndpoint: "http://127.0.0.1:9");
        await clock.AdvanceAsync(2 * SteppedClock.Step);

        // Every checker got checks of the real host and of planted ones; the lazy one (the first) passes everything.
        var lazy = checkers[0];
        var honeypots = new HashSet<string>();
        for (var round = 0; round < 2; round++)
        {
            foreach (var k in checkers)
            {
                while (k.TryNextAssignment(out var a) || (a = await k.NextAssignmentAsync()) is not null)
                {
                    var planted = a.HostId != host.HostId;
                    if (planted)
                        honeypots.Add(a.CheckId);
                    Assert.True((await k.SendAsync(k.Report(a, passed: k == lazy || !planted))).Accepted);
                    if (planted)
                        break;
                }
            }
        }

        var decided = await Task.WhenAll(honeypots.Select(id => CheckFlowTests.CheckAsync(c, id)));
        Assert.NotEmpty(decided);
        Assert.All(decided, d =>
        {
            Assert.True(d.Honeypot);
            Assert.Equal("failed", d.Outcome);
            Assert.Contains($"{lazy.Address} passed a planted known-bad host", d.Consequence, StringComparison.Ordinal);
            Assert.False(d.Reports.Single(r => r.Checker == lazy.Address).Correct);
        });

        // Two incorrect marks within a week: the lazy checker is suspended and gets no more assignments.
        Assert.True(decided.Length >= 2);
        await clock.AdvanceAsync(TimeSpan.FromMinutes(1));
        while (lazy.TryNextAssignment(out _))
        {
        }

        await clock.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.False(lazy.TryNextAssignment(out _));
        Assert.True(checkers[1].TryNextAssignment(out _) || checkers[2].TryNextAssignment(out _));
        foreach (var k in checkers)
            await k.DisposeAsync();
    }

    [Fact]
    public async Task ACheckerThatPassesAPlantedLivenessHoneypot_IsMarked_OnesThatFailItAreRight()
    {
        await using var c = await CheckFlowTests.StartAsync(o => o.Verification.HoneypotShare = 1);
        var clock = c.Clock();
        var checkers = await CheckFlowTests.CheckersAsync(c, 3);
        await using var host = await FakeAgent.ConnectAsync(c, "silent-bait", probeEndpoint: "http://127.0.0.1:9");
        await clock.AdvanceAsync(2 * SteppedClock.Step);

        // The first checker calls every host up without pinging it; the others find the planted one down.
        var lazy = checkers[0];
        var planted = await DecoyLivenessAsync(checkers, host);

        Assert.Single(planted.Values.Select(a => a.CheckId).Distinct());
        foreach (var (k, a) in planted)
            Assert.True((await k.SendAsync(k.Report(a, passed: k == lazy, reason: k == lazy ? "ok" : "unreachable: no answer"))).Accepted);

        var decided = await CheckFlowTests.CheckAsync(c, planted[lazy].CheckId);
        Assert.Equal(("liveness", true, "failed"), (decided.Kind, decided.Honeypot, decided.Outcome));
        Assert.Contains($"{lazy.Address} passed a planted known-bad host", decided.Consequence, StringComparison.Ordinal);
        Assert.Equal([false, true, true], checkers.Select(k => decided.Reports.Single(r => r.Checker == k.Address).Correct));
        foreach (var k in checkers)
            await k.DisposeAsync();
    }

    [Fact]
    public async Task UntilACheckIsDecided_ItsCheckersCanReadNeitherTheOthersVerdictsNorWhetherItIsAHoneypot()
    {
        await using var c = await CheckFlowTests.StartAsync(o => o.Verification.HoneypotShare = 1);
        var clock = c.Clock();
        var checkers = await CheckFlowTests.CheckersAsync(c, 3);
        await using var host = await FakeAgent.ConnectAsync(c, "peeked", probeEndpoint: "http://127.0.0.1:9");
        await clock.AdvanceAsync(2 * SteppedClock.Step);
        var planted = await DecoyLivenessAsync(checkers, host);

        // Two of the three have reported; the third, signed in with its checker's wallet, asks about the check by id and
        // in its own list of checks, as a checker that would rather copy than probe.
        var id = planted[checkers[0]].CheckId;
        foreach (var k in checkers.Take(2))
            Assert.True((await k.SendAsync(k.Report(planted[k], passed: false, reason: "unreachable: no answer"))).Accepted);
        using var peeker = await c.CustomerAsync(checkers[2].Wallet, funds: 0);
        var one = await peeker.GetFromJsonAsync<CheckView>($"/api/v1/checks/{id}", TestCoordinator.Json);
        var mine = await peeker.GetFromJsonAsync<List<CheckView>>($"/api/v1/checks?checker={checkers[2].Address}&limit=500", TestCoordinator.Json);
        var whole = await CheckFlowTests.CheckAsync(c, id);

        Assert.Equal(("pending", false), (one!.Outcome, one.Honeypot));
        Assert.Empty(one.Reports);
        Assert.All(mine!.Where(x => x.Outcome == "pending"), x => Assert.Equal((false, 0), (x.Honeypot, x.Reports.Count)));
        Assert.Contains(mine!, x => x.Id == id);
        Assert.Equal((true, 2), (whole.Honeypot, whole.Reports.Count)); // the operator sees it whole

        Assert.True((await checkers[2].SendAsync(checkers[2].Report(planted[checkers[2]], passed: false, reason: "unreachable: no answer"))).Accepted);
        var decided = await peeker.GetFromJsonAsync<CheckView>($"/api/v1/checks/{id}", TestCoordinator.Json);
        Assert.Equal(("failed", true, 3), (decided!.Outcome, decided.Honeypot, decided.Reports.Count));
        foreach (var k in checkers)
            await k.DisposeAsync();
    }

    [Fact]
    public async Task RoundTripsThatContradictTheDeclaredPlace_FlagItForCompliance_WithTheEvidence()
    {
        await using var c = await CheckFlowTests.StartAsync(o => o.Verification.LocationChecks = true);
        var clock = c.Clock();
        var checkers = await CheckFlowTests.CheckersAsync(c, 3);
        // The fake host declares 0°, 0° (the Gulf of Guinea); every checker measures 1 ms: it is near each of them, not there.
        await using var host = await FakeAgent.ConnectAsync(c, "spoof", probeEndpoint: "http://127.0.0.1:9");
        await clock.AdvanceAsync(2 * SteppedClock.Step);
        var liveness = await CheckFlowTests.AssignedAsync(checkers, CheckKind.Liveness);
        foreach (var (k, a) in liveness)
            Assert.True((await k.SendAsync(k.Report(a, passed: true, roundTripUs: 1_000))).Accepted);

        var decided = await CheckFlowTests.CheckAsync(c, liveness.Values.First().CheckId);
        Assert.Equal("passed", decided.Outcome);
        Assert.Contains("contradicted by round trips: flagged for compliance", decided.Consequence, StringComparison.Ordinal);
        var view = await c.Admin.GetFromJsonAsync<HostComplianceView>($"/api/v1/compliance/hosts/{host.HostId}", TestCoordinator.Json);
        Assert.Contains("impossible", view!.RoundTripEvidence, StringComparison.Ordinal);
        var audit = await c.Admin.GetFromJsonAsync<List<System.Text.Json.JsonElement>>($"/api/v1/audit?subject={host.HostId}") ?? [];
        Assert.Contains(audit, e => e.GetProperty("rule").GetString() == "location-round-trips");
        foreach (var k in checkers)
            await k.DisposeAsync();
    }

    private static async Task Refused(FakeChecker from, CheckReport report, string why)
    {
        var ack = await from.SendAsync(report);
        Assert.False(ack.Accepted);
        Assert.Contains(why, ack.Reason, StringComparison.Ordinal);
    }

    // Each checker's first liveness check of a decoy (a host other than `host`), skipping the rest.
    private static async Task<Dictionary<FakeChecker, Assignment>> DecoyLivenessAsync(List<FakeChecker> checkers, FakeAgent host)
    {
        var planted = new Dictionary<FakeChecker, Assignment>();
        foreach (var k in checkers)
        {
            Assignment a;
            do
                a = await k.NextAssignmentAsync();
            while (a.Kind != CheckKind.Liveness || a.HostId == host.HostId);
            planted[k] = a;
        }

        return planted;
    }
}

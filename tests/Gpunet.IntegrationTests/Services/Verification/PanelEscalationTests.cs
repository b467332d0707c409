using Gpunet.Coordinator;
using Gpunet.Coordinator.Storage;
using Gpunet.Coordinator.Verification;
using Gpunet.Core.Verification;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Gpunet.Protocol;
using static Gpunet.IntegrationTests.Services.Verification.CheckFlowTests;

namespace Gpunet.IntegrationTests.Services.Verification;

/// <summary>A split capacity vote goes to a second, larger panel (<see cref="PanelRules"/>): a lazy majority on the first
/// panel no longer passes a cheat the honest checkers fail, a unanimous check is decided at once, a check escalates once,
/// and only the second panel's checkers report on it. Real gRPC streams, the fake clock.</summary>
public sealed class PanelEscalationTests
{
    [Fact]
    public async Task SplitCapacityVote_LazyMajorityOnTheFirstPanel_SecondPanelFailsTheHost_ConsequencesOnlyThen()
    {
        await using var scene = await Scene.StartAsync(9, "lazy-majority");
        var (c, clock, checkers, host, first) = (scene.Coordinator, scene.Clock, scene.Checkers, scene.Host, scene.First);
        Assert.Equal(3, first.Count);

        // Two lazy checkers pass without probing; the honest one finds a wrong product. Before, the two passes decided.
        var (lazy, honest) = (first.Keys.Take(2).ToList(), first.Keys.Last());
        foreach (var k in lazy)
            Assert.True((await k.SendAsync(k.Report(first[k], passed: true, reason: "ok"))).Accepted);
        Assert.True((await honest.SendAsync(honest.Report(first[honest], passed: false, reason: "GPU 0: opened row 5 is wrong"))).Accepted);

        var escalated = await CheckAsync(c, first[honest].CheckId);
        Assert.Equal("escalated", escalated.Outcome);
        Assert.Contains("split vote (2 passed, 1 failed of 3): escalated to", escalated.Consequence, StringComparison.Ordinal);
        // Nothing follows from a split: the host is not held, nobody is marked or paid yet.
        Assert.Equal("Ready", (await c.HostAsync(host.HostId))!.State);
        Assert.All(escalated.Reports, r => Assert.Null(r.Correct));

        // The second panel: six checkers, none of the first, the same task; the host is told to answer exactly them.
        await clock.AdvanceAsync(2 * SteppedClock.Step);
        var second = await PanelAsync(checkers, escalated.EscalatedTo);
        Assert.Equal(6, second.Count);
        Assert.Empty(second.Keys.Intersect(first.Keys));
        var secondId = second.Values.First().CheckId;
        Assert.Equal(escalated.EscalatedTo, secondId);
        Assert.Equal(first[honest].Capacity, second.Values.First().Capacity);
        Assert.Equal(second.Keys.Select(k => k.Address).Order(), (await ExpectedCheckAsync(host, secondId)).Checkers.Order());

        // A checker of the first panel cannot report on the second's assignment, nor report again on its own.
        var intruder = await lazy[0].SendAsync(lazy[0].Report(second.Values.First(), passed: true));
        Assert.False(intruder.Accepted);
        Assert.Contains("not assigned to this checker", intruder.Reason, StringComparison.Ordinal);
        var again = await lazy[0].SendAsync(lazy[0].Report(first[lazy[0]], passed: true));
        Assert.False(again.Accepted);
        Assert.Contains("no open check has this id", again.Reason, StringComparison.Ordinal);

        foreach (var (k, a) in second)
            Assert.True((await k.SendAsync(k.Report(a, passed: false, reason: "GPU 0: opened row 9 is wrong"))).Accepted);
        await clock.AdvanceAsync(SteppedClock.Step);

        // 7 of 9 fail it: the first capacity failure's hold, and the reports of both panels judged together.
        var decided = await CheckAsync(c, secondId);
        Assert.Equal(("failed", first[honest].CheckId), (decided.Outcome, decided.EscalatedFrom));
        Assert.Contains("second panel of " + first[honest].CheckId, decided.Consequence, StringComparison.Ordinal);
        Assert.StartsWith($"held: failed a capacity check, confirming {secondId}", (await c.HostAsync(host.HostId))!.StateReason, StringComparison.Ordinal);
        Assert.All(decided.Reports, r => Assert.True(r.Correct));
        var firstPanel = await CheckAsync(c, first[honest].CheckId);
        Assert.True(firstPanel.Reports.Single(r => r.Checker == honest.Address).Correct);
        // Its reports are judged now, so its check is decided now too: an epoch pays reports by that time.
        Assert.True(firstPanel.DecidedAt > escalated.DecidedAt, $"first panel decided {firstPanel.DecidedAt:O}, escalated {escalated.DecidedAt:O}");
        Assert.Equal(decided.DecidedAt, firstPanel.DecidedAt);
        // The lazy passes are against the decision: not right (not paid); timed like the others, so not marked either.
        Assert.All(lazy, k => Assert.NotEqual(true, firstPanel.Reports.Single(r => r.Checker == k.Address).Correct));
    }

    [Fact]
    public async Task HonestTimingFailOutVotedOverBothPanels_BackedByItsSmallerAllowance_NotMarkedNorCountedAsAFailDissent()
    {
        // A weaker card behind held pings: the checker that has seen the host answer in 40 ms fails it for time; the other
        // eight judge on the held pings (400 ms of allowance) and pass it, though each measured the answer after the first
        // one's limit. Before, 8 of 9 passing made that fail a dissent counted towards holding its checker back.
        await using var scene = await Scene.StartAsync(9, "held-pings", configure: o => o.Verification.EnforceRealGpuTiming = true);
        var (c, clock, checkers, first) = (scene.Coordinator, scene.Clock, scene.Checkers, scene.First);
        var seer = first.Keys.First();
        Assert.True((await seer.SendAsync(HeldPings(seer, first[seer], roundTripUs: 40_000, overUs: 100_000))).Accepted);
        var i = 0;
        foreach (var k in first.Keys.Skip(1))
            Assert.True((await k.SendAsync(HeldPings(k, first[k], roundTripUs: 400_000, overUs: 150_000 + (10_000 * i++)))).Accepted);
        var escalated = await CheckAsync(c, first[seer].CheckId);
        Assert.Equal("escalated", escalated.Outcome);

        await clock.AdvanceAsync(2 * SteppedClock.Step);
        var second = await PanelAsync(checkers, escalated.EscalatedTo);
        foreach (var (k, a) in second)
            Assert.True((await k.SendAsync(HeldPings(k, a, roundTripUs: 400_000, overUs: 150_000 + (10_000 * i++)))).Accepted);
        await clock.AdvanceAsync(SteppedClock.Step);

        var decided = await CheckAsync(c, escalated.EscalatedTo!);
        Assert.Equal("passed", decided.Outcome);
        Assert.Null((await CheckAsync(c, first[seer].CheckId)).Reports.Single(r => r.Checker == seer.Address).Correct);
        var standing = c.App.Services.GetRequiredService<CheckerStandings>().Dissents(seer.Address).Standing(CheckKind.Capacity, clock.GetUtcNow());
        Assert.Equal((1L, 0L, 0), (standing.Reports, standing.FailDissents, standing.Operators));
        Assert.Contains($"{seer.Address} in the minority: failed GPU 0 answered in", decided.Consequence, StringComparison.Ordinal);
        Assert.Contains("8 of the 8 passing reports that timed it measured", decided.Consequence, StringComparison.Ordinal);
        Assert.Contains("a timing fail backed by the passers' own measurements; not marked, not counted as a fail dissent", decided.Consequence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnanimousCapacityVote_IsDecidedAtOnce_NoSecondPanel()
    {
        await using var scene = await Scene.StartAsync(9, "unanimous");
        var (c, clock, host, first) = (scene.Coordinator, scene.Clock, scene.Host, scene.First);

        foreach (var (k, a) in first)
            Assert.True((await k.SendAsync(k.Report(a, passed: true, reason: "ok"))).Accepted);
        await clock.AdvanceAsync(2 * SteppedClock.Step);

        var decided = await CheckAsync(c, first.Values.First().CheckId);
        Assert.Equal(("passed", null), (decided.Outcome, decided.EscalatedTo));
        Assert.All(decided.Reports, r => Assert.True(r.Correct));
        Assert.Single(await ChecksAsync(c, $"host={host.HostId}&kind=capacity"));
    }

    [Fact]
    public async Task SecondPanelSplitToo_IsDecidedOverBothPanels_NotEscalatedAgain()
    {
        // Eleven: two are left over, so a third panel could be drawn if the rule allowed one.
        await using var scene = await Scene.StartAsync(11, "twice-split");
        var (c, clock, checkers, host, first) = (scene.Coordinator, scene.Clock, scene.Checkers, scene.Host, scene.First);
        var i = 0;
        foreach (var (k, a) in first)
            Assert.True((await k.SendAsync(k.Report(a, passed: i++ != 0, reason: "split"))).Accepted);
        var firstId = first.Values.First().CheckId;
        await clock.AdvanceAsync(2 * SteppedClock.Step);
        var second = await PanelAsync(checkers, (await CheckAsync(c, firstId)).EscalatedTo);

        // Three pass, three fail: with the first panel's two passes and one fail, 5 of 9 pass.
        i = 0;
        foreach (var (k, a) in second)
            Assert.True((await k.SendAsync(k.Report(a, passed: i++ % 2 == 0, reason: "split"))).Accepted);
        await clock.AdvanceAsync(2 * SteppedClock.Step);

        var decided = await CheckAsync(c, second.Values.First().CheckId);
        Assert.Equal(("passed", firstId, null), (decided.Outcome, decided.EscalatedFrom, decided.EscalatedTo));
        Assert.Equal(2, (await ChecksAsync(c, $"host={host.HostId}&kind=capacity")).Count);
        var leftOver = checkers.Except(first.Keys).Except(second.Keys).ToList();
        Assert.Equal(2, leftOver.Count);
        Assert.All(leftOver, k => Assert.DoesNotContain(Drain(k), a => a.Kind == CheckKind.Capacity));
    }

    [Fact]
    public async Task SplitCapacityVote_WhoseEscalationFailsToStore_LeavesNoSecondPanel_AndIsEscalatedWholeLater()
    {
        var fails = new DecisionWriteFailsOnce("escalated");
        await using var scene = await Scene.StartAsync(9, "store-fails", s => s.ConfigureDbContext<GpunetDb>((_, db) => db.AddInterceptors(fails), ServiceLifetime.Singleton));
        var (c, clock, host, first) = (scene.Coordinator, scene.Clock, scene.Host, scene.First);
        var firstId = first.Values.First().CheckId;
        var i = 0;
        foreach (var (k, a) in first)
            Assert.True((await k.SendAsync(k.Report(a, passed: i++ != 0, reason: "split"))).Accepted);

        // The split's decision could not be stored: nothing of it is, no second panel either; the check waits, open.
        Assert.True(fails.Failed);
        Assert.Equal(("pending", null), ((await CheckAsync(c, firstId)).Outcome, (await CheckAsync(c, firstId)).EscalatedTo));
        Assert.Single(await ChecksAsync(c, $"host={host.HostId}&kind=capacity"));

        // At its deadline it is decided again, and escalated whole: one second panel, the one it names.
        var deadline = (await CheckAsync(c, firstId)).Deadline;
        while (clock.GetUtcNow() <= deadline)
            await clock.AdvanceAsync(TimeSpan.FromSeconds(5));
        await clock.AdvanceAsync(SteppedClock.Step);
        var escalated = await CheckAsync(c, firstId);
        Assert.Equal("escalated", escalated.Outcome);
        var checks = await ChecksAsync(c, $"host={host.HostId}&kind=capacity");
        Assert.Equal([escalated.EscalatedTo], checks.Where(x => x.EscalatedFrom == firstId).Select(x => x.Id));
        Assert.Equal(2, checks.Count);
    }

    [Fact]
    public async Task ACheckDecidedAtItsDeadline_WhoseWriteFails_IsDecidedAgainAtTheNextTick_NotLeftToLapse()
    {
        var fails = new DecisionWriteFailsOnce("passed");
        await using var scene = await Scene.StartAsync(9, "deadline-store-fails", s => s.ConfigureDbContext<GpunetDb>((_, db) => db.AddInterceptors(fails), ServiceLifetime.Singleton));
        var (c, clock, first) = (scene.Coordinator, scene.Clock, scene.First);
        var id = first.Values.First().CheckId;
        // Two of three report: the check waits for its deadline, where the scheduler decides it.
        foreach (var (k, a) in first.Take(2))
            Assert.True((await k.SendAsync(k.Report(a, passed: true))).Accepted);

        var deadline = (await CheckAsync(c, id)).Deadline;
        while (clock.GetUtcNow() <= deadline)
            await clock.AdvanceAsync(TimeSpan.FromSeconds(5));
        await clock.AdvanceAsync(SteppedClock.Step);
        await clock.AdvanceAsync(SteppedClock.Step);

        // The first write of the decision failed; the next tick decided it again (before, it was dropped from the book and
        // lapsed a minute later as "the coordinator that issued it stopped").
        Assert.True(fails.Failed);
        var decided = await CheckAsync(c, id);
        Assert.Equal("passed", decided.Outcome);
        Assert.DoesNotContain("stopped", decided.Consequence, StringComparison.Ordinal);
    }

    // A store whose first write of a decision with `outcome` fails, as a lost connection or another coordinator's decision
    // of the same check would make it.
    private sealed class DecisionWriteFailsOnce(string outcome) : SaveChangesInterceptor
    {
        private int _failed;

        public bool Failed => Volatile.Read(ref _failed) == 1;

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            if (eventData.Context is { } db && db.ChangeTracker.Entries<CheckRecord>().Any(e => e.State == EntityState.Modified && e.Entity.Outcome == outcome)
                && Interlocked.Exchange(ref _failed, 1) == 0)
                throw new DbUpdateException("the store failed (test)");
            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }

    // The capacity panel whose assignments name `checkId` (the first capacity check any checker gets when null): each
    // of its checkers' assignment, by checker; other assignments are skipped. With `clock`, time moves a step at a time
    // (at most 8) while no checker has one yet: a new host's check is issued once the monitor has made it Ready and the
    // scheduler has seen it, which run side by side, so a loaded machine may need a step more than a quiet one.
    private static async Task<Dictionary<FakeChecker, Assignment>> PanelAsync(List<FakeChecker> checkers, string? checkId, SteppedClock? clock = null)
    {
        var got = new Dictionary<FakeChecker, Assignment>();
        var steps = 0;
        await Eventually.Async(async () =>
        {
            if (clock is not null && got.Count == 0 && steps++ < 8)
                await clock.AdvanceAsync(SteppedClock.Step);
            foreach (var k in checkers.Where(k => !got.ContainsKey(k)))
            {
                foreach (var a in Drain(k).Where(a => a.Kind == CheckKind.Capacity && (checkId is null ? got.Count == 0 || a.CheckId == got.Values.First().CheckId : a.CheckId == checkId)))
                    got[k] = a;
            }

            return (object?)(got.Count > 0 && got.Count == got.Values.First().Checkers.Count);
        }, done => (bool)done!, "every checker of the panel assigned");
        return got;
    }

    // A capacity report on a host that holds its pings, from a checker whose allowance rests on `roundTripUs`: every GPU's
    // product correct, answered `overUs` after the limit of a checker on the host's real round trip (40 ms), and passed
    // when that is within its own limit.
    private static CheckReport HeldPings(FakeChecker k, Assignment a, long roundTripUs, long overUs)
    {
        var gpus = a.Capacity.Gpus.Select(g =>
        {
            var answered = FakeChecker.LimitUs(a, g, 40_000) + overUs;
            var limit = FakeChecker.LimitUs(a, g, roundTripUs);
            return new GpuVerdict
            {
                Index = g.Index, Passed = answered <= limit, ProductCorrect = true, AnsweredUs = answered, ExpectedUs = FakeChecker.ExpectedUs(a, g),
                LimitUs = limit, Reason = answered <= limit ? "in time" : "too slow",
            };
        }).ToList();
        return k.Report(a, passed: gpus.All(g => g.Passed), roundTripUs: roundTripUs, reason: gpus.All(g => g.Passed) ? "ok" : "too slow", gpus: gpus);
    }

    private static List<Assignment> Drain(FakeChecker k)
    {
        var taken = new List<Assignment>();
        while (k.TryNextAssignment(out var a))
            taken.Add(a);
        return taken;
    }

    // A coordinator with `count` licensed checkers and a new host, whose first capacity panel has its assignments.
    private sealed class Scene : IAsyncDisposable
    {
        public required TestCoordinator Coordinator { get; init; }

        public required SteppedClock Clock { get; init; }

        public required List<FakeChecker> Checkers { get; init; }

        public required FakeAgent Host { get; init; }

        public required Dictionary<FakeChecker, Assignment> First { get; init; }

        public static async Task<Scene> StartAsync(int count, string host, Action<IServiceCollection>? services = null,
            Action<CoordinatorOptions>? configure = null)
        {
            var c = await CheckFlowTests.StartAsync(configure, services);
            var clock = c.Clock();
            var checkers = await CheckersAsync(c, count);
            var agent = await FakeAgent.ConnectAsync(c, host, probeEndpoint: "http://127.0.0.1:9");
            await clock.AdvanceAsync(SteppedClock.Step);
            return new Scene { Coordinator = c, Clock = clock, Checkers = checkers, Host = agent, First = await PanelAsync(checkers, null, clock) };
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var k in Checkers)
                await k.DisposeAsync();
            await Host.DisposeAsync();
            await Coordinator.DisposeAsync();
        }
    }
}

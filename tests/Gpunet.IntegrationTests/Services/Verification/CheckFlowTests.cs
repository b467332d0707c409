using System.Net.Http.Json;
using Gpunet.Coordinator;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;

namespace Gpunet.IntegrationTests.Services.Verification;

/// <summary>Checks from issue to consequence on the fake clock, with real gRPC streams for the agent and the checkers:
/// 2N+1 licensed checkers are assigned (never the host's operator), the host is told whom to answer, the signed reports
/// decide by majority, and a host failing capacity is held at once, slashed for deceit when a second check confirms
/// it, and freed when it passes again.</summary>
public sealed class CheckFlowTests
{
    internal static readonly (double Lat, double Lon, string Country)[] Places =
        [(50.11, 8.68, "DE"), (40.71, -74.01, "US"), (35.68, 139.69, "JP"), (-33.87, 151.21, "AU"), (-23.55, -46.63, "BR"),
         (1.35, 103.82, "SG"), (19.08, 72.88, "IN"), (-33.92, 18.42, "ZA"), (51.51, -0.13, "GB"), (43.65, -79.38, "CA"),
         (59.33, 18.07, "SE")];

    internal static Task<TestCoordinator> StartAsync(Action<CoordinatorOptions>? configure = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null) => ServiceCoordinator.StartAsync(o =>
    {
        o.Verification.HoneypotShare = 0;
        o.Verification.LocationChecks = false;
        o.Verification.CapacityRetry = TimeSpan.FromSeconds(5);
        o.Verification.CapacityConfirmAfter = TimeSpan.FromSeconds(3);
        configure?.Invoke(o);
    }, services: services);

    /// <summary>Licenses and connects one checker per place (the first <paramref name="count"/> places).</summary>
    internal static async Task<List<FakeChecker>> CheckersAsync(TestCoordinator c, int count, Wallet? first = null)
    {
        var checkers = new List<FakeChecker>();
        for (var i = 0; i < count; i++)
        {
            var wallet = i == 0 && first is not null ? first : Wallet.Create();
            using var granted = await c.Admin.PostAsJsonAsync("/api/v1/checkers", new { address = wallet.Address.Value });
            granted.EnsureSuccessStatusCode();
            checkers.Add(await FakeChecker.ConnectAsync(c, Places[i].Lat, Places[i].Lon, Places[i].Country, wallet));
        }

        return checkers;
    }

    /// <summary>Moves the clock a step at a time, at most <paramref name="steps"/>, until every checker was given an
    /// assignment of <paramref name="kind"/>: when within a step the decider and the scheduler run (side by side, as in
    /// production) moves an issue by a step, not the outcome. What is still on its way comes by the checkers' streams.</summary>
    private static async Task<Dictionary<FakeChecker, Assignment>> StepUntilAssignedAsync(SteppedClock clock, List<FakeChecker> checkers, string kind, int steps)
    {
        var got = new Dictionary<FakeChecker, Assignment>();
        for (var step = 0; step < steps && got.Count < checkers.Count; step++)
        {
            await clock.AdvanceAsync(SteppedClock.Step);
            foreach (var k in checkers)
            {
                while (!got.ContainsKey(k) && k.TryNextAssignment(out var a))
                {
                    if (a.Kind == kind)
                        got[k] = a;
                }
            }
        }

        foreach (var (k, a) in await AssignedAsync(checkers.Where(k => !got.ContainsKey(k)), kind))
            got[k] = a;
        return got;
    }

    /// <summary>Each checker's next assignment of <paramref name="kind"/> (others it got meanwhile are skipped).</summary>
    internal static async Task<Dictionary<FakeChecker, Assignment>> AssignedAsync(IEnumerable<FakeChecker> checkers, string kind)
    {
        var got = new Dictionary<FakeChecker, Assignment>();
        foreach (var k in checkers)
        {
            Assignment a;
            do
                a = await k.NextAssignmentAsync();
            while (a.Kind != kind);
            got[k] = a;
        }

        return got;
    }

    [Fact]
    public async Task AHostFailsCapacityByMajority_IsHeldAtOnce_SlashedWhenItFailsAgain_FreedWhenItPasses_AnHonestDissentNotMarked()
    {
        await using var c = await StartAsync();
        var clock = c.Clock();
        var checkers = await CheckersAsync(c, 3);
        await using var host = await FakeAgent.ConnectAsync(c, "capacity", probeEndpoint: "http://127.0.0.1:9");
        await clock.AdvanceAsync(2 * SteppedClock.Step);

        // Every checker got the same capacity check, naming all three; the host was told to answer exactly them.
        var assigned = await AssignedAsync(checkers, CheckKind.Capacity);
        var check = assigned.Values.First();
        Assert.All(assigned.Values, a => Assert.Equal((check.CheckId, host.HostId, "http://127.0.0.1:9"), (a.CheckId, a.HostId, a.ProbeEndpoint)));
        Assert.Equal(checkers.Select(k => k.Address).Order(), check.Checkers.Order());
        Assert.Equal(["H100-SXM5-80GB"], check.Capacity.Gpus.Select(g => g.Model));
        // Each checker's own copy caps its timing allowance at the slowest honest round trip from where it is to where
        // the host says it is (RoundTripCap), so held pings widen it no further.
        var declared = (await c.HostAsync(host.HostId))!;
        for (var i = 0; i < 3; i++)
        {
            var cap = RoundTripCap.For(new LocationPoint(Places[i].Lat, Places[i].Lon), new LocationPoint(declared.Latitude, declared.Longitude), RoundTripCap.DefaultFloor);
            Assert.Equal(cap.Ticks / TimeSpan.TicksPerMicrosecond, assigned[checkers[i]].AllowanceCapUs);
        }

        Assert.Equal(3, assigned.Values.Select(a => a.AllowanceCapUs).Distinct().Count());
        var expect = await ExpectedCheckAsync(host, check.CheckId);
        Assert.Equal(check.Checkers.Order(), expect.Checkers.Order());
        Assert.Equal((check.Capacity.Size, check.Capacity.Products), (expect.Size, expect.Products));

        // Two fail it (a wrong product), one passes it: held at once, not slashed yet, checked again soon.
        for (var i = 0; i < 3; i++)
        {
            var ack = await checkers[i].SendAsync(checkers[i].Report(assigned[checkers[i]], passed: i == 2, reason: i == 2 ? "ok" : "GPU 0: opened row 17 is wrong"));
            Assert.True(ack.Accepted, ack.Reason);
        }

        await clock.AdvanceAsync(SteppedClock.Step);
        var held = (await c.HostAsync(host.HostId))!;
        Assert.Equal("Paused", held.State);
        // Held by the failed check, not by compliance: the neutral prefix.
        Assert.StartsWith($"held: failed a capacity check, confirming {check.CheckId}: GPU 0: opened row 17 is wrong", held.StateReason, StringComparison.Ordinal);
        var decided = await CheckAsync(c, check.CheckId);
        Assert.Equal("failed", decided.Outcome);
        Assert.Contains("checked again in 3 s, and slashed for deceit if it fails again", decided.Consequence, StringComparison.Ordinal);
        // A split vote, but no fourth checker for a second panel (PanelRules): these three decide, as before.
        Assert.Contains("split vote, and no second panel could be formed", decided.Consequence, StringComparison.Ordinal);
        // The one that passed timed the host as the others did: each opens rows of its own, so a host with a few wrong
        // rows passes one and fails others. Neither right nor wrong: not marked, not paid.
        Assert.Contains(checkers[2].Address + " in the minority: passed a host the majority failed", decided.Consequence, StringComparison.Ordinal);
        Assert.Equal([true, true, null], checkers.Select(k => decided.Reports.Single(r => r.Checker == k.Address).Correct));
        // Anyone can check who signed each report from what the API shows.
        Assert.All(decided.Reports, r => Assert.Equal(r.Checker, new Nethereum.Signer.EthereumMessageSigner().EncodeUTF8AndEcRecover(r.SignedText, r.Signature).ToLowerInvariant()));
        var audit = await c.Admin.GetFromJsonAsync<List<System.Text.Json.JsonElement>>($"/api/v1/audit?subject={host.HostId}") ?? [];
        Assert.Contains(audit, e => e.GetProperty("rule").GetString() == "capacity-check");

        // Checked again within seconds; failed again by majority: now the deceit slash.
        var confirm = await StepUntilAssignedAsync(clock, checkers, CheckKind.Capacity, steps: 6);
        foreach (var (k, a) in confirm)
            Assert.True((await k.SendAsync(k.Report(a, passed: false, reason: "GPU 0: opened row 3 is wrong"))).Accepted);
        await clock.AdvanceAsync(SteppedClock.Step);
        var slashedCheck = confirm.Values.First().CheckId;
        Assert.Contains("failed again: slashed for deceit", (await CheckAsync(c, slashedCheck)).Consequence, StringComparison.Ordinal);
        Assert.Contains($"failed capacity check {slashedCheck}", (await c.HostAsync(host.HostId))!.StateReason, StringComparison.Ordinal);

        // The retry comes after CapacityRetry; this time all pass: the hold is lifted, and there was one slash only.
        var again = await StepUntilAssignedAsync(clock, checkers, CheckKind.Capacity, steps: 8);
        foreach (var (k, a) in again)
            Assert.True((await k.SendAsync(k.Report(a, passed: true))).Accepted);
        await clock.AdvanceAsync(2 * SteppedClock.Step);
        Assert.Equal("Ready", (await c.HostAsync(host.HostId))!.State);
        Assert.Contains("hold is lifted", (await CheckAsync(c, again.Values.First().CheckId)).Consequence, StringComparison.Ordinal);
        Assert.Single(await ChecksAsync(c, $"host={host.HostId}&kind=capacity"), x => x.Consequence.Contains("slashed for deceit;", StringComparison.Ordinal));

        foreach (var k in checkers)
            await k.DisposeAsync();
    }

    [Fact]
    public async Task TheHostsOwnOperator_IsNeverAssigned_AndFewerCheckersGiveTheLargestOddNumber()
    {
        await using var c = await StartAsync();
        var clock = c.Clock();
        var operatorWallet = Wallet.Create();
        var checkers = await CheckersAsync(c, 3, first: operatorWallet);
        await using var host = await FakeAgent.ConnectAsync(c, "own", operatorWallet, probeEndpoint: "http://127.0.0.1:9");
        await clock.AdvanceAsync(2 * SteppedClock.Step);

        // Two others remain: one of them checks (2N+1 with N = 0), never the operator's own checker.
        var assignment = await Task.WhenAny(checkers[1].NextAssignmentAsync(), checkers[2].NextAssignmentAsync()).Unwrap();
        Assert.Equal([assignment.Checkers.Single()], assignment.Checkers);
        Assert.NotEqual(operatorWallet.Address.Value, assignment.Checkers.Single());
        Assert.False(checkers[0].TryNextAssignment(out _));
        foreach (var k in checkers)
            await k.DisposeAsync();
    }

    [Fact]
    public async Task AWalletWithoutALicence_IsRefused_AndARevokedCheckerIsCutOff()
    {
        await using var c = await StartAsync();
        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => FakeChecker.ConnectAsync(c, 50, 8, "DE"));
        Assert.Equal(Grpc.Core.StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("holds no checker licence", refused.Status.Detail, StringComparison.Ordinal);

        var checkers = await CheckersAsync(c, 1);
        using var revoked = await c.Admin.PostAsJsonAsync($"/api/v1/checkers/{checkers[0].Address}/revoke", new { reason = "passed a honeypot" });
        revoked.EnsureSuccessStatusCode();
        await Eventually.Async(() => Task.FromResult<object?>(checkers[0].Ended), e => true, "the revoked checker's stream ends");
        await checkers[0].DisposeAsync();
    }

    /// <summary>The ExpectCheck the host was sent for <paramref name="checkId"/>.</summary>
    internal static async Task<ExpectCheck> ExpectedCheckAsync(FakeAgent host, string checkId)
    {
        while (true)
        {
            var command = await host.NextCommandAsync();
            if (command.ExpectCheck is { } e && e.CheckId == checkId)
                return e;
        }
    }

    internal static async Task<CheckView> CheckAsync(TestCoordinator c, string id) =>
        (await c.Admin.GetFromJsonAsync<CheckView>($"/api/v1/checks/{id}", TestCoordinator.Json))!;

    internal static async Task<List<CheckView>> ChecksAsync(TestCoordinator c, string query) =>
        (await c.Admin.GetFromJsonAsync<List<CheckView>>($"/api/v1/checks?{query}", TestCoordinator.Json))!;
}

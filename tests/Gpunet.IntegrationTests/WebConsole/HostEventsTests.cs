using System.Net;
using System.Net.Http.Json;
using Gpunet.Core.Compliance;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using static Gpunet.IntegrationTests.Services.Ledger.Settlement;

namespace Gpunet.IntegrationTests.WebConsole;

/// <summary><c>GET /api/v1/console/hosts/stream</c> through a real coordinator with real agents: a host operator's page is
/// told of its own hosts' changes (a pause and its reason, the way back, an epoch's earnings) and of nobody else's.</summary>
[LongRunning]
public sealed class HostEventsTests
{
    private const string Path = "/api/v1/console/hosts/stream";

    [Fact]
    public async Task TheHostStream_SendsItsOwnHostsStateChanges_AndNeverAnotherOperatorsHost()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Console.HostStreamInterval = TimeSpan.FromMilliseconds(200));
        var alice = Wallet.Create();
        var bob = Wallet.Create();
        await using var alices = TestAgent.Start(c.ApiUrl, "L4-24GB:2", country: "PT", wallet: alice);
        await using var bobs = TestAgent.Start(c.ApiUrl, "L4-24GB:2", country: "PT", wallet: bob);
        var (aliceHost, bobHost) = (await alices.HostIdAsync(), await bobs.HostIdAsync());
        await c.WaitForStateAsync(aliceHost, "Ready");
        await c.WaitForStateAsync(bobHost, "Ready");
        using var aliceApi = await c.CustomerAsync(alice, funds: 0);

        using var stream = await SseStream.OpenAsync(aliceApi, Path);
        // Her hosts at once: hers only, and how many she has.
        var first = await stream.NextAsync();
        Assert.Equal("hosts", first.Event);
        Assert.Equal(1, first.Data.GetProperty("total").GetInt32());
        Assert.Equal([aliceHost], first.Data.GetProperty("hosts").EnumerateArray().Select(h => h.GetProperty("id").GetString()));

        // A policy that blocks Portugal pauses both hosts: her page is told of hers, with the rule, and of nothing else.
        await ApplyAsync(c, "blocks.pt", ["PT"]);
        var paused = await stream.UntilAsync(e => e.Event == "host" && e.Data.GetProperty("state").GetString() == "Paused");
        Assert.Equal(aliceHost, paused[^1].Data.GetProperty("id").GetString());
        Assert.Contains(ComplianceRules.BlockedJurisdiction, paused[^1].Data.GetProperty("stateReason").GetString(), StringComparison.Ordinal);

        // And back: the policy lifted, she sees it Ready again without asking.
        await ApplyAsync(c, "lifts.pt", []);
        var ready = await stream.UntilAsync(e => e.Event == "host" && e.Data.GetProperty("state").GetString() == "Ready");
        await c.WaitForStateAsync(bobHost, "Ready");
        Assert.All(paused.Concat(ready), e => Assert.DoesNotContain(bobHost, e.Data.GetRawText(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheHostStream_SendsASettledEpochsEarnings_OfItsOwnHost()
    {
        await using var c = await StartAsync(requireStake: true);
        var (agent, operatorApi) = await StakedHostAsync(c, "stream-earner");
        using var stream = await SseStream.OpenAsync(operatorApi, Path);
        Assert.Equal("hosts", (await stream.NextAsync()).Event);

        await SettleEpochAfterAsync(c, TimeSpan.Zero);
        // The stream looks again each interval of the coordinator's clock, which moves only when stepped.
        var waiting = stream.UntilAsync(e => e.Event == "earnings");
        for (var i = 0; i < 100 && !waiting.IsCompleted; i++)
        {
            await c.Clock!.AdvanceAsync(SteppedClock.Step);
            await Task.WhenAny(waiting, Task.Delay(100));
        }

        var earned = (await waiting)[^1];
        Assert.Equal(agent.HostId, earned.Data.GetProperty("hostId").GetString());
        var api = (await operatorApi.GetFromJsonAsync<List<HostEarningView>>($"/api/v1/hosts/{agent.HostId}/earnings", TestCoordinator.Json))!;
        // The same figures the host's earnings show for that epoch.
        var epoch = earned.Data.GetProperty("earning").GetProperty("epoch").GetInt64();
        Assert.Equal(api.Single(e => e.Epoch == epoch).Earned, earned.Data.GetProperty("earning").GetProperty("earned").GetString());
        Assert.NotEqual("0", api.Single(e => e.Epoch == epoch).Earned);
    }

    [Fact]
    public async Task TheHostStream_SendsACheckOfItsOwnHost_OnceDecided()
    {
        await using var c = await Services.Verification.CheckFlowTests.StartAsync();
        var checkers = await Services.Verification.CheckFlowTests.CheckersAsync(c, 3);
        await using var host = await FakeAgent.ConnectAsync(c, "stream-checked", probeEndpoint: "http://127.0.0.1:9");
        await c.Clock!.AdvanceAsync(2 * SteppedClock.Step);
        var assigned = await Services.Verification.CheckFlowTests.AssignedAsync(checkers, Gpunet.Core.Verification.CheckKind.Liveness);
        using var operatorApi = await c.CustomerAsync(host.Wallet, funds: 0);
        using var stream = await SseStream.OpenAsync(operatorApi, Path);
        Assert.Equal("hosts", (await stream.NextAsync()).Event);

        // Decided while the page is open: the majority reports the host unanswering.
        foreach (var (k, a) in assigned)
            Assert.True((await k.SendAsync(k.Report(a, passed: false, reason: "no answer"))).Accepted);
        var id = assigned.Values.First().CheckId;

        // The stream looks again each interval of the coordinator's clock, which moves only when stepped.
        var waiting = stream.UntilAsync(e => e.Event == "check" && e.Data.GetProperty("id").GetString() == id);
        for (var i = 0; i < 100 && !waiting.IsCompleted; i++)
        {
            await c.Clock!.AdvanceAsync(SteppedClock.Step);
            await Task.WhenAny(waiting, Task.Delay(100));
        }

        var check = (await waiting)[^1].Data;
        Assert.Equal((host.HostId, "liveness", "failed"), (check.GetProperty("hostId").GetString(), check.GetProperty("kind").GetString(), check.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task Abuse_AnonymousIsRefused_TheOperatorHasNoHostsToStream_AndTheConsolesCapOfFourHolds()
    {
        await using var c = await TestCoordinator.StartAsync();
        using var alice = await c.CustomerAsync(Wallet.Create(), funds: 0);

        using (var r = await c.Anonymous.GetAsync(Path, HttpCompletionOption.ResponseHeadersRead))
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        // The admin token names no wallet: refused as a problem before any event.
        using (var r = await c.Admin.GetAsync(Path, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.DoesNotContain("event:", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A wallet with no host gets an empty list, and streams share the console's cap: three network pages and this make four.
        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 3; i++)
                open.Add(await alice.GetAsync("/api/v1/console/network/stream", HttpCompletionOption.ResponseHeadersRead));
            using var mine = await SseStream.OpenAsync(alice, Path);
            var first = await mine.NextAsync();
            Assert.Equal(("hosts", 0), (first.Event, first.Data.GetProperty("total").GetInt32()));
            Assert.All(open, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            using var fifth = await alice.GetAsync(Path, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
        }
        finally
        {
            foreach (var r in open)
                r.Dispose();
        }
    }

    /// <summary>The default policy, with <paramref name="blocked"/> added to the jurisdictions hosts may not serve from.</summary>
    internal static async Task ApplyAsync(TestCoordinator c, string version, string[] blocked)
    {
        var yaml = CompliancePolicyParser.ToYaml(CompliancePolicy.Default with
        {
            Version = version,
            BlockedHostJurisdictions = [.. CompliancePolicy.Default.BlockedHostJurisdictions, .. blocked],
        });
        using var applied = await c.Admin.PutAsJsonAsync("/api/v1/compliance/policy", new { yaml });
        Assert.True(applied.IsSuccessStatusCode, await applied.Content.ReadAsStringAsync());
    }
}

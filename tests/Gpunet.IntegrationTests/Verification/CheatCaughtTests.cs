using System.Net.Http.Json;
using Gpunet.Agent;
using Gpunet.Agent.Discovery;
using Gpunet.Checker;
using Gpunet.Coordinator.Verification;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gpunet.IntegrationTests.Verification;

/// <summary>The whole verification path with real parts on loopback, as on a devnet: three licensed checker nodes in
/// three countries, real agents with their probe endpoints, the coordinator's scheduler, majority and consequences. A
/// host that claims H100s and performs as an RTX 4090 is caught at its registration check and says why; an honest one
/// passes.</summary>
public sealed class CheatCaughtTests
{
    [Fact]
    public async Task ACheatClaimingH100sThatPerformsAsAnRtx4090_IsCaughtAtRegistration_AndItsHostSaysWhy()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o =>
        {
            o.Verification.LocationChecks = false;
            o.Verification.HoneypotShare = 0;
            o.Verification.SchedulerInterval = TimeSpan.FromMilliseconds(200);
            // Every process of the test shares this machine with the rest of the suite: a loaded moment must not fail the
            // honest host, while a card at a third of the claimed speed still fails by far.
            o.Verification.CapacityCardBand = 0.5;
            o.Verification.CapacityConfirmAfter = TimeSpan.FromSeconds(1);
        });
        using var stop = new CancellationTokenSource();
        var nodes = new List<(CheckerNode Node, Task Run)>();
        foreach (var (country, lat, lon) in new[] { ("DE", 50.11, 8.68), ("US", 38.95, -77.45), ("JP", 35.68, 139.69) })
        {
            var wallet = Wallet.Create();
            (await c.Admin.PostAsJsonAsync("/api/v1/checkers", new { address = wallet.Address.Value })).EnsureSuccessStatusCode();
            var node = new CheckerNode(new CheckerOptions { Coordinator = new Uri(c.ApiUrl), Latitude = lat, Longitude = lon, Country = country },
                wallet, TimeProvider.System, NullLogger.Instance);
            nodes.Add((node, Task.Run(() => node.RunAsync(stop.Token))));
        }

        var roster = c.App.Services.GetRequiredService<CheckerRoster>();
        await Eventually.Async(() => Task.FromResult<object?>(roster.Connected.Count), n => (int)n == 3, "three checkers connected");

        await using var honest = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:2");
        var cheatWallet = Wallet.Create();
        await using var cheat = TestAgent.Wrap(new HostAgent(new AgentOptions
        {
            Coordinator = new Uri(c.ApiUrl), Simulate = ["H100-SXM5-80GB:2"], SimulateActual = "RTX-4090-24GB", Country = "DE",
            Latitude = 50.1, Longitude = 8.7, Hostname = "cheat", MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
            WorkDirectory = Directory.CreateTempSubdirectory("gpunet-agent-").FullName,
        }, cheatWallet, SimulatedGpuSource.FromSpecs(["H100-SXM5-80GB:2"], cheatWallet.Address.Value), TimeProvider.System, NullLogger.Instance), cheatWallet);
        var (honestId, cheatId) = (await honest.HostIdAsync(), await cheat.HostIdAsync());

        // Held from its first check (confirming, then, once failed again, slashed), with the reason.
        var caught = await c.WaitForStateAsync(cheatId, "Paused", seconds: 60);
        Assert.Contains("capacity check", caught.StateReason, StringComparison.Ordinal);
        Assert.Contains("Too slow for H100-SXM5-80GB", caught.StateReason, StringComparison.Ordinal);
        // Checked again a second later, failed again: slashed for deceit.
        var checks = await Eventually.Async(
            async () => await c.Admin.GetFromJsonAsync<List<CheckView>>($"/api/v1/checks?host={cheatId}&kind=capacity", TestCoordinator.Json),
            l => l.Count == 2 && l.All(x => x.Outcome == "failed"), "the cheat's two capacity checks, both failed", 60);
        Assert.Contains("slashed for deceit", checks[0].Consequence, StringComparison.Ordinal);
        Assert.Contains("checked again", checks[1].Consequence, StringComparison.Ordinal);
        // The host monitor shows the new hold at its next round.
        await Eventually.Async(() => c.HostAsync(cheatId), h => h.StateReason.Contains("failed capacity check", StringComparison.Ordinal),
            "the cheat's host showing it was slashed");
        // Correct products, answered too late: the timing caught it, not a wrong answer.
        Assert.All(checks.SelectMany(x => x.Reports).SelectMany(r => r.Gpus), g => Assert.True(g.ProductCorrect && !g.Passed && g.AnsweredUs > 2 * g.ExpectedUs));

        // The honest host passes (a check failed on a loaded moment would only hold it until the next one passed) and is
        // never slashed.
        await Eventually.Async(
            async () => (await c.Admin.GetFromJsonAsync<List<CheckView>>($"/api/v1/checks?host={honestId}&kind=capacity", TestCoordinator.Json))?.FirstOrDefault(),
            v => v.Outcome == "passed", "the honest host's capacity check passed", 60);
        var honestChecks = await c.Admin.GetFromJsonAsync<List<CheckView>>($"/api/v1/checks?host={honestId}&kind=capacity", TestCoordinator.Json);
        Assert.DoesNotContain(honestChecks!, x => x.Consequence.Contains("slashed", StringComparison.Ordinal));
        await c.WaitForStateAsync(honestId, "Ready", seconds: 30);

        await stop.CancelAsync();
        foreach (var (node, run) in nodes)
        {
            await run;
            node.Dispose();
        }
    }
}

using System.Net.Http.Json;
using Gpunet.Agent;
using Gpunet.Agent.Discovery;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gpunet.IntegrationTests.Verification;

/// <summary>A real agent run with <c>--honeypot</c>, checked by real checker nodes on loopback: its capacity answers are
/// on time and wrong in every GPU, its liveness probes go unanswered, so honest checkers fail it and are right; planted,
/// its checks are known fails, shown to others as a failing host's until it is retired.</summary>
[LongRunning]
public sealed class HoneypotAgentTests
{
    [Fact]
    public async Task AHoneypotAgent_FailsCapacityWithWrongProductsAndLivenessUnanswered_HonestCheckersAreRight()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o =>
        {
            CheckerNodes.Configure(o);
            o.Verification.LivenessInterval = TimeSpan.FromSeconds(2);
        });
        await using var checkers = await CheckerNodes.StartAsync(c);
        var wallet = Wallet.Create();
        await using var honeypot = TestAgent.Wrap(new HostAgent(new AgentOptions
        {
            Coordinator = new Uri(c.ApiUrl), Simulate = ["A100-SXM4-80GB:2"], Honeypot = true, Country = "DE", Latitude = 50.1, Longitude = 8.7,
            Hostname = "decoy", MaxReconnectDelay = TimeSpan.FromMilliseconds(500), WorkDirectory = Directory.CreateTempSubdirectory("gpunet-agent-").FullName,
        }, wallet, SimulatedGpuSource.FromSpecs(["A100-SXM4-80GB:2"], wallet.Address.Value), TimeProvider.System, NullLogger.Instance), wallet);
        var hostId = await honeypot.HostIdAsync();
        (await c.Admin.PostAsJsonAsync("/api/v1/honeypots", new { hostId })).EnsureSuccessStatusCode();

        // Capacity: committed on time, wrong on both GPUs; every checker failed it and is right.
        var capacity = await Eventually.Async(
            async () => (await c.Admin.GetFromJsonAsync<List<CheckView>>($"/api/v1/checks?host={hostId}&kind=capacity", TestCoordinator.Json))!
                .FirstOrDefault(x => x.Outcome == "failed"),
            x => x is not null, "a failed capacity check of the honeypot", 60);
        Assert.Equal(3, capacity.Reports.Count);
        Assert.All(capacity.Reports, r => Assert.Equal((false, true), (r.Passed, r.Correct)));
        Assert.All(capacity.Reports, r => Assert.Equal([false, false], r.Gpus.Select(g => g.ProductCorrect)));

        // Liveness, planted: unanswered; failed by every checker, who are right; a checker's view says only "failed".
        var liveness = await Eventually.Async(
            async () => (await c.Admin.GetFromJsonAsync<List<CheckView>>($"/api/v1/checks?host={hostId}&kind=liveness", TestCoordinator.Json))!
                .FirstOrDefault(x => x.Honeypot && x.Outcome != "pending"),
            x => x is not null, "a decided planted liveness check", 60);
        Assert.Equal("failed", liveness.Outcome);
        Assert.All(liveness.Reports, r =>
        {
            Assert.Equal((false, true), (r.Passed, r.Correct));
            Assert.Contains("unreachable", r.Reason, StringComparison.Ordinal);
        });
        using var other = await c.CustomerAsync(Wallet.Create(), funds: 0);
        Assert.False((await other.GetFromJsonAsync<CheckView>($"/api/v1/checks/{liveness.Id}", TestCoordinator.Json))!.Honeypot);
    }
}

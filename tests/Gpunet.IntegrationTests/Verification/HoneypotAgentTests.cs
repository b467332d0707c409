using System.Net.Http.Json;
using Gpunet.Agent;
using Gpunet.Agent.Discovery;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gpunet.IntegrationTests.Verification;

/// <summary>A real agent run with <c>--honeypot</c>, checked by real checker nodes on loopback: before it is planted it
/// answers as any host; planted, the coordinator's traps are answered wrong (capacity, on time) or not at all (liveness),
/// so honest checkers fail them and are right, and they are shown to others as a failing host's checks.</summary>
[LongRunning]
public sealed class HoneypotAgentTests
{
    [Fact]
    public async Task AHoneypotAgent_AnswersItsTrapsWrongOrNotAtAll_OtherChecksAsAnyHost_HonestCheckersAreRight()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o =>
        {
            CheckerNodes.Configure(o);
            o.Verification.LivenessInterval = TimeSpan.FromSeconds(2);
            // Once planted, every check a trap; an unanswered probe is given up after a few seconds.
            o.Verification.PlantedTrapShare = 1;
            o.Verification.ReportGrace = TimeSpan.FromSeconds(4);
        });
        await using var checkers = await CheckerNodes.StartAsync(c);
        var wallet = Wallet.Create();
        var first = Start(c, wallet);
        var hostId = await first.HostIdAsync();

        // Not planted yet: its registration check is an ordinary one, and it passes as any honest host.
        await Eventually.Async(
            async () => (await c.Admin.GetFromJsonAsync<List<CheckView>>($"/api/v1/checks?host={hostId}&kind=capacity", TestCoordinator.Json))!
                .FirstOrDefault(x => x.Outcome != "pending"),
            x => x is { Outcome: "passed" }, "the unplanted honeypot's capacity check to pass", 60);

        // Planted, then registered again (a registration brings a capacity check): a trap, committed on time and wrong on
        // both GPUs; every checker failed it and is right.
        (await c.Admin.PostAsJsonAsync("/api/v1/honeypots", new { hostId })).EnsureSuccessStatusCode();
        await first.DisposeAsync();
        await using var again = Start(c, wallet);
        Assert.Equal(hostId, await again.HostIdAsync());
        var capacity = await Eventually.Async(
            async () => (await c.Admin.GetFromJsonAsync<List<CheckView>>($"/api/v1/checks?host={hostId}&kind=capacity", TestCoordinator.Json))!
                .FirstOrDefault(x => x.Honeypot && x.Outcome != "pending"),
            x => x is not null, "a decided capacity trap", 60);
        Assert.Equal("failed", capacity.Outcome);
        Assert.Equal(3, capacity.Reports.Count);
        Assert.All(capacity.Reports, r => Assert.Equal((false, true), (r.Passed, r.Correct)));
        Assert.All(capacity.Reports, r => Assert.Equal([false, false], r.Gpus.Select(g => g.ProductCorrect)));

        // A liveness trap: no answer at all, as from a host whose packets are dropped; a checker's view says only "failed".
        var liveness = await Eventually.Async(
            async () => (await c.Admin.GetFromJsonAsync<List<CheckView>>($"/api/v1/checks?host={hostId}&kind=liveness", TestCoordinator.Json))!
                .FirstOrDefault(x => x.Honeypot && x.Outcome != "pending"),
            x => x is not null, "a decided liveness trap", 60);
        Assert.Equal("failed", liveness.Outcome);
        Assert.All(liveness.Reports, r =>
        {
            Assert.Equal((false, true), (r.Passed, r.Correct));
            Assert.Contains("no answer", r.Reason, StringComparison.Ordinal);
        });
        using var other = await c.CustomerAsync(Wallet.Create(), funds: 0);
        Assert.False((await other.GetFromJsonAsync<CheckView>($"/api/v1/checks/{liveness.Id}", TestCoordinator.Json))!.Honeypot);
    }

    private static TestAgent Start(TestCoordinator c, Wallet wallet) => TestAgent.Wrap(new HostAgent(new AgentOptions
    {
        Coordinator = new Uri(c.ApiUrl), Simulate = ["A100-SXM4-80GB:2"], Honeypot = true, Country = "DE", Latitude = 50.1, Longitude = 8.7,
        Hostname = "decoy", MaxReconnectDelay = TimeSpan.FromMilliseconds(500), WorkDirectory = Directory.CreateTempSubdirectory("gpunet-agent-").FullName,
    }, wallet, SimulatedGpuSource.FromSpecs(["A100-SXM4-80GB:2"], wallet.Address.Value), TimeProvider.System, NullLogger.Instance), wallet);
}

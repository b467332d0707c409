using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Hosts;

public sealed class CoordinatorRestartTests
{
    [Fact]
    public async Task Coordinator_Restarts_HostIsKeptAndItsAgentReconnects()
    {
        var data = TestCoordinator.NewDataDir();
        var (api, agents) = (LoopbackPorts.Free(), LoopbackPorts.Free());
        var urls = $"http://127.0.0.1:{api}";
        var agentUrls = $"http://127.0.0.1:{agents}";
        var coordinator = await TestCoordinator.StartAsync(data, urls: urls, agentUrls: agentUrls, adminToken: "gpa_test_restart_token_0123456789");
        await using var agent = TestAgent.Start(coordinator.ApiUrl, "H200-SXM-141GB:8", "US", region: "Virginia");
        var id = await agent.HostIdAsync();
        var before = await coordinator.WaitForStateAsync(id, "Ready");
        await coordinator.DisposeAsync();

        await using var restarted = await TestCoordinator.StartAsync(data, urls: urls, agentUrls: agentUrls, adminToken: "gpa_test_restart_token_0123456789");
        // Loaded from the store before the agent is back.
        var loaded = await restarted.HostAsync(id);
        Assert.NotNull(loaded);
        Assert.Equal(before.RegisteredAt, loaded.RegisteredAt);

        var after = await Eventually.Async(() => restarted.HostAsync(id), h => h.Connected && h.State == "Ready", "the agent to reconnect");
        Assert.Equal(before.Address, after.Address);
        Assert.Equal(before.Gpus.Select(g => g.Uuid), after.Gpus.Select(g => g.Uuid));
        Assert.Single(await restarted.HostsAsync());
    }
}

using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Marketplace;

public sealed class GangAndRestartTests
{
    [Fact]
    public async Task ACoordinatorRestart_LosesNoOrder_AndKnowsWhatIsHeld()
    {
        var data = TestCoordinator.NewDataDir();
        var (api, agents) = (LoopbackPorts.Free(), LoopbackPorts.Free());
        var urls = $"http://127.0.0.1:{api}";
        var agentUrls = $"http://127.0.0.1:{agents}";
        const string token = "gpa_test_market_restart_0123456789";
        var c = await TestCoordinator.StartAsync(data, urls: urls, agentUrls: agentUrls, adminToken: token);
        await using var agent = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8");
        var host = await agent.HostIdAsync();
        await c.WaitForStateAsync(host, "Ready");
        var wallet = Wallet.Create();
        string running, queued;
        using (var customer = await c.CustomerAsync(wallet))
        {
            running = (await customer.RentAsync(MarketClient.Order("sleep 60", count: 4))).LeaseId;
            await customer.WaitForStateAsync(running, "Running");
            queued = (await customer.RentAsync(MarketClient.Order("echo placed", gpu: "A100"))).LeaseId;
        }

        await c.DisposeAsync();
        await using var restarted = await TestCoordinator.StartAsync(data, urls: urls, agentUrls: agentUrls, adminToken: token);
        using var again = await restarted.CustomerAsync(wallet);
        await Eventually.Async(() => restarted.HostAsync(host), h => h.Connected && h.State == "Ready", "the agent to reconnect");

        // The running lease is still running (its agent said so when it registered again) and still holds its 4 GPUs.
        Assert.Equal("Running", (await again.LeaseAsync(running))!.State);
        Assert.True((await again.RentAsync(MarketClient.Order("sleep 60", count: 4))).Placed());
        Assert.Equal("Pending", (await again.RentAsync(MarketClient.Order("sleep 60", count: 1))).State);

        // The queued order is still queued, and placed when capacity appears.
        Assert.Equal("Pending", (await again.LeaseAsync(queued))!.State);
        await using var a100 = TestAgent.Start(restarted.ApiUrl, "A100-SXM4-80GB:1", country: "FR");
        Assert.Equal("completed", (await again.WaitForStateAsync(queued, "Succeeded")).EndReason);
    }
}

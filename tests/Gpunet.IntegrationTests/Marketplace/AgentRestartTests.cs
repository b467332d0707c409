using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Marketplace;

/// <summary>An agent that restarts loses its workloads; the coordinator learns it from the new registration.</summary>
public sealed class AgentRestartTests
{
    [Fact]
    public async Task ALeaseRunningWhenItsAgentRestarts_EndsWorkloadLost()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Hosts.OfflineGracePeriod = TimeSpan.FromSeconds(30));
        var owner = Wallet.Create();
        var agent = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8", wallet: owner, seed: "restart");
        var host = await agent.HostIdAsync();
        await c.WaitForStateAsync(host, "Ready");
        using var customer = await c.CustomerAsync(Wallet.Create());
        var order = await customer.RentAsync(MarketClient.Order("sleep 60"));
        await customer.WaitForStateAsync(order.LeaseId, "Running");

        await agent.DisposeAsync(); // kills its workloads
        await using var again = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8", wallet: owner, seed: "restart");
        Assert.Equal(host, await again.HostIdAsync());

        var lost = await customer.WaitForStateAsync(order.LeaseId, "Failed");
        Assert.Equal("workload-lost", lost.EndReason);
        // The restarted agent's host is Ready again at its first heartbeat, which may come after the lease's end.
        await c.WaitForStateAsync(host, "Ready");
        Assert.True((await customer.RentAsync(MarketClient.Order("sleep 60", count: 8))).Placed()); // its GPU is back
    }
}

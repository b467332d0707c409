using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Marketplace;

/// <summary>A host that goes offline: restartable leases move to another host, the others end with HostLost.</summary>
public sealed class FailoverTests
{
    [Fact]
    public async Task ARestartableLease_MovesToAnotherHost_AndItsHistoryShowsTheMove()
    {
        await using var c = await TestCoordinator.StartAsync();
        var first = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8");
        var firstHost = await first.HostIdAsync();
        await c.WaitForStateAsync(firstHost, "Ready");
        using var customer = await c.CustomerAsync(Wallet.Create());

        var order = await customer.RentAsync(MarketClient.Order("sleep 60", count: 4, restart: "on-host-loss"));
        Assert.Equal(firstHost, order.Leases[0].HostId);
        await customer.WaitForStateAsync(order.LeaseId, "Running");

        await using var second = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8", country: "FR");
        var secondHost = await second.HostIdAsync();
        await c.WaitForStateAsync(secondHost, "Ready");
        await first.DisposeAsync(); // the host goes silent, then Offline

        var moved = await customer.WaitForLeaseAsync(order.LeaseId, l => l.HostId == secondHost && l.State == "Running", "to run on the second host");
        Assert.Equal(2, moved.Attempt);
        var hosts = moved.History!.Where(h => h.HostId is not null).Select(h => h.HostId).Distinct().ToList();
        Assert.Equal([firstHost, secondHost], hosts);
        Assert.Contains(moved.History!, h => h.State == "Pending" && h.Reason.Contains($"host {firstHost} went offline", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALeaseWithoutRestart_EndsHostLost_WhenItsHostGoesOffline()
    {
        await using var c = await TestCoordinator.StartAsync();
        var agent = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8");
        var host = await agent.HostIdAsync();
        await c.WaitForStateAsync(host, "Ready");
        using var customer = await c.CustomerAsync(Wallet.Create());

        var order = await customer.RentAsync(MarketClient.Order("sleep 60"));
        await customer.WaitForStateAsync(order.LeaseId, "Running");
        await agent.DisposeAsync();

        var lost = await customer.WaitForStateAsync(order.LeaseId, "HostLost");
        Assert.Equal("host-lost", lost.EndReason);
        Assert.Contains(host, lost.StateReason, StringComparison.Ordinal);
    }
}

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
        Assert.True((await customer.RentAsync(MarketClient.Order("sleep 60", count: 8))).Placed()); // its GPU is back
    }
}

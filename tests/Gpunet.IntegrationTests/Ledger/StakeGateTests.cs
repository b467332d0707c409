using System.Net.Http.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Ledger;

/// <summary>A container is not matched until fully staked, and stops being matched when its stake falls short.</summary>
public sealed class StakeGateTests
{
    [Fact]
    public async Task AnUnstakedHost_IsNotMatched_UntilItsOperatorStakes()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.RequireStake = true);
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:1");
        var hostId = await agent.HostIdAsync();
        using var host = await c.CustomerAsync(agent.Wallet, funds: 2_000);
        using var customer = await c.CustomerAsync(Wallet.Create());

        var order = await customer.RentAsync(MarketClient.Order("sleep 30"));
        var queued = await customer.WaitForLeaseAsync(order.LeaseId, l => l.StateReason.Contains("not fully staked", StringComparison.Ordinal),
            "to wait for a staked host");
        Assert.Equal("Pending", queued.State);
        Assert.True(queued.StateReason.Contains($"{hostId} is not fully staked (0 of 1000 tokens)", StringComparison.Ordinal), queued.StateReason);

        using var stake = await host.PostAsJsonAsync("/api/v1/wallet/stake", new { amount = "1000", host = hostId });
        Assert.True(stake.IsSuccessStatusCode, await stake.Content.ReadAsStringAsync());
        var placed = await customer.WaitForLeaseAsync(order.LeaseId, l => l.HostId == hostId, "to be placed once the host is staked");
        Assert.NotEqual("Pending", placed.State);
        await customer.PostAsync($"/api/v1/leases/{order.LeaseId}/cancel", null);

        // Unstaking part of it pauses the host for new orders.
        using var unstake = await host.PostAsJsonAsync("/api/v1/wallet/unstake", new { amount = "1", host = hostId });
        Assert.True(unstake.IsSuccessStatusCode, await unstake.Content.ReadAsStringAsync());
        var second = await customer.RentAsync(MarketClient.Order("sleep 30"));
        var waiting = await customer.WaitForLeaseAsync(second.LeaseId, l => l.StateReason.Contains("not fully staked", StringComparison.Ordinal),
            "to wait again");
        Assert.Contains("(999 of 1000 tokens)", waiting.StateReason, StringComparison.Ordinal);
    }
}

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
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Ledger.RequireStake = true);
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:1");
        var hostId = await agent.HostIdAsync();
        using var host = await c.CustomerAsync(agent.Wallet, funds: 2_000);
        using var customer = await c.CustomerAsync(Wallet.Create());

        var order = await customer.RentAsync(MarketClient.Order("sleep 30"));
        var queued = await customer.WaitForLeaseAsync(order.LeaseId, l => l.StateReason.Contains("not fully staked", StringComparison.Ordinal),
            "to wait for a staked host");
        Assert.Equal("Pending", queued.State);
        Assert.True(queued.StateReason.Contains($"{hostId} is not fully staked (0 of 1000 tokens)", StringComparison.Ordinal), queued.StateReason);

        var paused = (await c.HostAsync(hostId))!;
        Assert.True(paused.Paused);
        Assert.Equal(("0", "1000"), (paused.Staked, paused.RequiredStake));

        using var stake = await host.PostAsJsonAsync("/api/v1/wallet/stake", new { amount = "1000", host = hostId });
        Assert.True(stake.IsSuccessStatusCode, await stake.Content.ReadAsStringAsync());
        Assert.False((await c.HostAsync(hostId))!.Paused);
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

    [Fact]
    public async Task ANewHardwareFingerprint_IsANewContainer_ThatMustStakeAgain()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Ledger.RequireStake = true);
        var operatorWallet = Wallet.Create();
        string first;
        await using (var agent = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:1", wallet: operatorWallet, seed: "machine-a"))
        {
            first = await agent.HostIdAsync();
            await c.WaitForStateAsync(first, "Ready");
            using var op = await c.CustomerAsync(operatorWallet, funds: 3_000);
            using var stake = await op.PostAsJsonAsync("/api/v1/wallet/stake", new { amount = "1000", host = first });
            Assert.True(stake.IsSuccessStatusCode, await stake.Content.ReadAsStringAsync());
        }

        // The same operator's machine comes back with other hardware (another GPU serial): another container.
        await using var changed = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:1", wallet: operatorWallet, seed: "machine-b");
        var second = await changed.HostIdAsync();
        Assert.NotEqual(first, second);
        await c.WaitForStateAsync(second, "Ready");
        using var again = await c.CustomerAsync(operatorWallet, funds: 0);
        var wallet = (await again.GetFromJsonAsync<WalletView>("/api/v1/wallet", TestCoordinator.Json))!;
        Assert.True(wallet.Hosts.Single(h => h.Host == first).FullyStaked);
        var fresh = wallet.Hosts.Single(h => h.Host == second);
        Assert.Equal("0", fresh.Staked);
        Assert.False(fresh.FullyStaked);
    }

    [Fact]
    public async Task StakePlacedThroughAnotherCoordinator_CountsInThisOnesMatcher()
    {
        var dir = TestCoordinator.NewDataDir();
        var db = Path.Combine(dir, "shared.db");
        await using var a = await TestCoordinator.StartAsync(dir, db, configure: o => o.Ledger.RequireStake = true);
        await using var agent = await a.ReadyAgentAsync("H100-SXM5-80GB:1");
        var hostId = await agent.HostIdAsync();
        await using var b = await TestCoordinator.StartAsync(TestCoordinator.NewDataDir(), db, configure: o => o.Ledger.RequireStake = true);

        using var customer = await a.CustomerAsync(Wallet.Create());
        var order = await customer.RentAsync(MarketClient.Order("sleep 30"));
        await customer.WaitForLeaseAsync(order.LeaseId, l => l.StateReason.Contains("not fully staked", StringComparison.Ordinal), "to wait for stake");

        // The operator stakes through the other coordinator; this one's market sees it within a scan.
        using var op = await b.CustomerAsync(agent.Wallet, funds: 1_000);
        using var stake = await op.PostAsJsonAsync("/api/v1/wallet/stake", new { amount = "1000", host = hostId });
        Assert.True(stake.IsSuccessStatusCode, await stake.Content.ReadAsStringAsync());
        var placed = await customer.WaitForLeaseAsync(order.LeaseId, l => l.HostId == hostId, "to be placed", 15);
        Assert.NotEqual("Pending", placed.State);
    }
}

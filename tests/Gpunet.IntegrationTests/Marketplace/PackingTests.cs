using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Marketplace;

/// <summary>The coordinator's matcher packs so that whole machines stay free for whole-machine orders.</summary>
public sealed class PackingTests
{
    [Fact]
    public async Task SmallOrders_FillAPartlyUsedHost_SoAnEightGpuOrderStillFits()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var a = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8");
        await using var b = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8", country: "FR");
        await c.WaitForStateAsync(await a.HostIdAsync(), "Ready");
        await c.WaitForStateAsync(await b.HostIdAsync(), "Ready");
        using var customer = await c.CustomerAsync(Wallet.Create());

        var four = await customer.RentAsync(MarketClient.Order("sleep 60", count: 4));
        var used = four.Leases[0].HostId;
        for (var i = 0; i < 3; i++)
            Assert.Equal(used, (await customer.RentAsync(MarketClient.Order("sleep 60", count: 1))).Leases[0].HostId);

        var eight = await customer.RentAsync(MarketClient.Order("sleep 60", count: 8));
        Assert.True(eight.Placed(), eight.StateReason);
        Assert.NotEqual(used, eight.Leases[0].HostId);
    }

    [Fact]
    public async Task AnOrderForARegion_GoesToAHostThatDeclaresIt()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var hesse = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8", region: "Hesse");
        await using var bavaria = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8", region: "Bavaria", price: 1.5);
        await c.WaitForStateAsync(await hesse.HostIdAsync(), "Ready");
        await c.WaitForStateAsync(await bavaria.HostIdAsync(), "Ready");
        using var customer = await c.CustomerAsync(Wallet.Create());

        var order = await customer.RentAsync(new { gpu = new[] { "H100" }, maxPrice = 3, regions = new[] { "hesse" }, ranking = "lowest-fee", command = new[] { "true" } });
        Assert.Equal(await hesse.HostIdAsync(), order.Leases[0].HostId);
        var nowhere = await customer.RentAsync(new { gpu = new[] { "H100" }, maxPrice = 3, regions = new[] { "Saxony" }, command = new[] { "true" } });
        Assert.Equal("no H100 host in region Saxony", nowhere.StateReason);
    }
}

using Gpunet.Coordinator.Marketplace;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Marketplace;

/// <summary>The market keeps nothing per lease or per order once its leases have ended.</summary>
public sealed class MarketFootprintTests
{
    [Fact]
    public async Task ManyShortLeases_LeaveNothingBehindInTheMarket()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = await c.ReadyAgentAsync();
        using var customer = await c.CustomerAsync(Wallet.Create());
        var market = c.App.Services.GetRequiredService<Market>();

        for (var i = 0; i < 6; i++)
        {
            var order = await customer.RentAsync(MarketClient.Order($"echo line {i}"));
            await customer.WaitForStateAsync(order.LeaseId, "Succeeded");
        }

        var running = await customer.RentAsync(MarketClient.Order("sleep 60", count: 8));
        await customer.WaitForStateAsync(running.LeaseId, "Running");
        var queued = await customer.RentAsync(MarketClient.Order("sleep 60")); // every GPU is taken: it waits
        Assert.False(queued.Placed());
        foreach (var lease in new[] { queued.LeaseId, running.LeaseId })
        {
            using var cancel = await customer.PostAsync($"/api/v1/leases/{lease}/cancel", null);
            cancel.EnsureSuccessStatusCode();
        }

        await Eventually.Async<MarketFootprint>(async () => await market.FootprintAsync(), f => f == new MarketFootprint(0, 0, 0, 0, 0), "the market to let every ended lease go");
    }
}

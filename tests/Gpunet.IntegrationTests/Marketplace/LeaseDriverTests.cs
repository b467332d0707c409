using Gpunet.Coordinator.Marketplace;
using Gpunet.Core.Identity;
using Gpunet.Core.Marketplace;
using Gpunet.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gpunet.IntegrationTests.Marketplace;

/// <summary>The lease driver writes only the moves the lease lifecycle allows.</summary>
public sealed class LeaseDriverTests
{
    [Fact]
    public async Task Move_QueuedLeaseStraightToRunning_IsRefusedAndNothingIsWritten()
    {
        await using var c = await TestCoordinator.StartAsync();
        using var customer = await c.CustomerAsync(Wallet.Create());
        var order = await customer.RentAsync(MarketClient.Order("sleep 60")); // no host: it waits in the queue
        var store = c.App.Services.GetRequiredService<LeaseStore>();
        var driver = new LeaseDriver(store, TimeProvider.System, NullLogger.Instance);
        var before = (await store.LeaseAsync(order.LeaseId, CancellationToken.None))!;
        var history = (await store.HistoryAsync(order.LeaseId, CancellationToken.None)).Steps.Count;

        var lease = (await store.LeaseAsync(order.LeaseId, CancellationToken.None))!;
        var moved = await driver.MoveAsync(lease, LeaseState.Running, l => l.StateReason = "running nowhere", CancellationToken.None);

        Assert.False(moved);
        Assert.Equal(("Pending", before.StateReason, before.Version), (lease.State, lease.StateReason, lease.Version));
        var after = (await store.LeaseAsync(order.LeaseId, CancellationToken.None))!;
        Assert.Equal(("Pending", before.StateReason, before.Version), (after.State, after.StateReason, after.Version));
        Assert.Equal(history, (await store.HistoryAsync(order.LeaseId, CancellationToken.None)).Steps.Count);
    }

    [Fact]
    public async Task End_EndedLease_IsRefused_AndItsEndStays()
    {
        await using var c = await TestCoordinator.StartAsync();
        using var customer = await c.CustomerAsync(Wallet.Create());
        var order = await customer.RentAsync(MarketClient.Order("sleep 60"));
        using (await customer.PostAsync($"/api/v1/leases/{order.LeaseId}/cancel", null))
        {
        }

        var store = c.App.Services.GetRequiredService<LeaseStore>();
        var driver = new LeaseDriver(store, TimeProvider.System, NullLogger.Instance);
        var lease = (await store.LeaseAsync(order.LeaseId, CancellationToken.None))!;
        Assert.Equal("Cancelled", lease.State);

        Assert.False(await driver.EndAsync(lease, LeaseEndReason.Completed, "exited with code 0", 0, CancellationToken.None));
        var after = (await store.LeaseAsync(order.LeaseId, CancellationToken.None))!;
        Assert.Equal(("Cancelled", "cancelled"), (after.State, after.EndReason));
    }
}

using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Services.Marketplace;

/// <summary>A host that goes offline (on the fake clock: 10 s after its last heartbeat): restartable leases move to another
/// host, the others end with HostLost.</summary>
public sealed class FailoverTests
{
    private static readonly string[] EightGpus = [.. Enumerable.Range(0, 8).Select(i => $"GPU-{i}")];

    [Fact]
    public async Task ARestartableLease_MovesToAnotherHost_AndItsHistoryShowsTheMove()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        var first = await c.ReadyHostAsync("first", uuids: EightGpus);
        using var customer = await c.CustomerAsync(Wallet.Create());
        var order = await customer.RentAsync(MarketClient.Order("sleep 60", count: 4, restart: "on-host-loss"));
        Assert.Equal(first.HostId, order.Leases[0].HostId);
        await first.RunNextLeaseAsync();
        Assert.Equal("Running", (await customer.LeaseAsync(order.LeaseId))!.State);

        await using var second = await c.ReadyHostAsync("second", country: "FR", uuids: [.. EightGpus.Select(u => u + "-fr")]);
        await first.DisposeAsync(); // the host goes silent, then Offline
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(12));
        var (start, _) = await second.RunNextLeaseAsync();
        Assert.Equal(order.LeaseId, start.LeaseId);

        var moved = (await customer.LeaseAsync(order.LeaseId))!;
        Assert.Equal("Running", moved.State);
        Assert.Equal(second.HostId, moved.HostId);
        Assert.Equal(2, moved.Attempt);
        Assert.Equal([first.HostId, second.HostId], moved.History!.Where(h => h.HostId is not null).Select(h => h.HostId).Distinct().ToList());
        Assert.Contains(moved.History!, h => h.State == "Pending" && h.Reason.Contains($"host {first.HostId} went offline", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMovingLease_WaitsPastItsOrdersQueueDeadline_AlsoAfterACoordinatorRestart()
    {
        var clock = new SteppedClock();
        var data = TestCoordinator.NewDataDir();
        string leaseId;
        HttpClient customer;
        await using (var c = await ServiceCoordinator.StartAsync(dataDir: data, clock: clock))
        {
            var host = await c.ReadyHostAsync("only", uuids: EightGpus);
            customer = await c.CustomerAsync(Wallet.Create());
            var order = await customer.RentAsync(MarketClient.Order("sleep 600", count: 4, restart: "on-host-loss", queueMinutes: 1));
            leaseId = order.LeaseId;
            await host.RunNextLeaseAsync();
            await host.DisposeAsync();
            // Lost after 10 s; no other host: the lease waits to move, past the order's 1-minute queue deadline.
            await clock.AdvanceAsync(TimeSpan.FromSeconds(80));
            Assert.Equal("Pending", (await customer.LeaseAsync(leaseId))!.State);
        }

        await using var restarted = await ServiceCoordinator.StartAsync(dataDir: data, clock: clock);
        using var again = await restarted.CustomerAsync(Wallet.Create(), funds: 0);
        await clock.AdvanceAsync(TimeSpan.FromSeconds(2));

        var lease = (await restarted.Admin.LeaseAsync(leaseId))!;
        Assert.Equal(("Pending", null), (lease.State, lease.EndReason));
        customer.Dispose();
    }

    [Fact]
    public async Task ALeaseWithoutRestart_EndsHostLost_WhenItsHostGoesOffline()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        var agent = await c.ReadyHostAsync("lost", uuids: EightGpus);
        var (customer, leaseId, _, _) = await c.RunOnAsync(agent, MarketClient.Order("sleep 60"));
        using var _ = customer;

        await agent.DisposeAsync();
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(9));
        Assert.Equal("Running", (await customer.LeaseAsync(leaseId))!.State);
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(3));

        var lost = (await customer.LeaseAsync(leaseId))!;
        Assert.Equal("HostLost", lost.State);
        Assert.Equal("host-lost", lost.EndReason);
        Assert.Contains(agent.HostId, lost.StateReason, StringComparison.Ordinal);
    }
}

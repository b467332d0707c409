using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Services.Marketplace;

/// <summary>A host whose agent's stream closes and stays closed (its process or machine is gone) has its restartable leases
/// moved after <c>StreamLossFailoverAfter</c> (3 s here), long before the offline grace (10 s here); one that comes back
/// in time keeps them, and nothing is slashed before the host is really offline.</summary>
public sealed class StreamLossFailoverTests
{
    private static readonly string[] EightGpus = [.. Enumerable.Range(0, 8).Select(i => $"GPU-{i}")];

    private static Task<TestCoordinator> StartAsync() =>
        ServiceCoordinator.StartAsync(o => o.Market.StreamLossFailoverAfter = TimeSpan.FromSeconds(3));

    private static async Task<List<SlashEventRecord>> SlashesAsync(TestCoordinator c)
    {
        await using var db = await c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync();
        return await db.SlashEvents.AsNoTracking().ToListAsync();
    }

    [Fact]
    public async Task AStreamClosedForGood_MovesRestartableLeasesBeforeTheGrace_OthersWait_DowntimeSlashedOnceOffline()
    {
        await using var c = await StartAsync();
        var first = await c.ReadyHostAsync("dies", uuids: EightGpus);
        using var customer = await c.CustomerAsync(Wallet.Create());
        var moving = await customer.RentAsync(MarketClient.Order("sleep 600", count: 4, restart: "on-host-loss"));
        await first.RunNextLeaseAsync();
        var staying = await customer.RentAsync(MarketClient.Order("sleep 600", count: 4));
        await first.RunNextLeaseAsync();
        await using var second = await c.ReadyHostAsync("takes-over", country: "FR", uuids: [.. EightGpus.Select(u => u + "-fr")]);

        // The agent's process dies: its stream closes (seen by the coordinator before the clock moves on: the window
        // counts from the first market tick without a stream, and a loaded machine may see the close after the 4 s).
        await first.DisposeAsync();
        Assert.True(c.App.Services.GetRequiredService<Gpunet.Coordinator.Hosts.HostRegistry>().TryGet(first.HostId, out var entry));
        await Eventually.Async(() => Task.FromResult<object?>(entry.Connected), connected => !(bool)connected!, "the coordinator saw the stream close");
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(4));

        var (start, _) = await second.RunNextLeaseAsync();
        Assert.Equal((moving.LeaseId, 2), (start.LeaseId, start.Attempt));
        var history = (await customer.LeaseAsync(moving.LeaseId))!.History!;
        Assert.Contains(history, h => h.State == "Pending" && h.Reason.Contains($"host {first.HostId}'s agent disconnected", StringComparison.Ordinal));
        // The lease that cannot restart waits for the grace (the host may still come back); nothing is slashed yet.
        Assert.Equal("Running", (await customer.LeaseAsync(staying.LeaseId))!.State);
        Assert.NotEqual("Offline", (await c.HostAsync(first.HostId))!.State);
        Assert.Empty(await SlashesAsync(c));

        // The host never returns: Offline after the grace, the other lease is lost, and the downtime counts both leases
        // it was serving when it died.
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(8));
        Assert.Equal("HostLost", (await customer.LeaseAsync(staying.LeaseId))!.State);
        var slash = Assert.Single(await SlashesAsync(c));
        Assert.Equal(("downtime", first.HostId), (slash.Kind, slash.HostId));
        Assert.Contains(moving.LeaseId, slash.Reason, StringComparison.Ordinal);
        Assert.Contains(staying.LeaseId, slash.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAgentThatReconnectsWithinTheWindow_KeepsItsLeases()
    {
        await using var c = await StartAsync();
        var wallet = Wallet.Create();
        var first = await c.ReadyHostAsync("blip", wallet, uuids: EightGpus);
        using var customer = await c.CustomerAsync(Wallet.Create());
        var order = await customer.RentAsync(MarketClient.Order("sleep 600", count: 4, restart: "on-host-loss"));
        await first.RunNextLeaseAsync();
        await using var second = await c.ReadyHostAsync("idle", country: "FR", uuids: [.. EightGpus.Select(u => u + "-fr")]);

        // A network blip: the stream closes and the agent is back 2 s later, still running the lease.
        await first.DisposeAsync();
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(2));
        await using var back = await FakeAgent.ConnectAsync(c, "blip", wallet,
            leases: [new LeaseReport { LeaseId = order.LeaseId, Phase = LeaseReport.Types.Phase.Running }], uuids: EightGpus);
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(5));

        var lease = (await customer.LeaseAsync(order.LeaseId))!;
        Assert.Equal(("Running", first.HostId, 1), (lease.State, lease.HostId, lease.Attempt));
        Assert.Empty(await SlashesAsync(c));
    }
}

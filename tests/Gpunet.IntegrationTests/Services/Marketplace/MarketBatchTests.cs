using System.Net.Http.Json;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Phase = Gpunet.Protocol.LeaseReport.Types.Phase;

namespace Gpunet.IntegrationTests.Services.Marketplace;

/// <summary>What piles up while the market's loop is busy (agents' reports, customers' orders) is applied together:
/// every report and order is still applied, in order, no GPU given twice, and a lease another coordinator changed
/// meanwhile keeps that change.</summary>
public sealed class MarketBatchTests
{
    private static readonly string[] TwoGpus = ["GPU-0", "GPU-1"];

    /// <summary>Holds the market's loop until the returned source is set: what comes meanwhile waits for it.</summary>
    private static (TaskCompletionSource Release, Task Held) HoldMarket(TestCoordinator c)
    {
        var release = new TaskCompletionSource();
        var held = c.App.Services.GetRequiredService<Market>().RunAsync(async () =>
        {
            await release.Task;
            return true;
        });
        return (release, held);
    }

    private static async Task<StartLease> NextStartAsync(FakeAgent host)
    {
        Command command;
        do
            command = await host.NextCommandAsync();
        while (command.StartLease is null);
        return command.StartLease;
    }

    private static LeaseReport Report(string leaseId, Phase phase, long atMs) => new() { LeaseId = leaseId, Phase = phase, AtUnixMs = atMs };

    [Fact]
    public async Task ReportsThatPiledUp_AreAllApplied_InOrder_AndALeaseChangedElsewhereIsDecidedAgain()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var a = await c.ReadyHostAsync("batch-a");
        await using var b = await c.ReadyHostAsync("batch-b");
        await using var d = await c.ReadyHostAsync("batch-d");
        using var customer = await c.CustomerAsync(Wallet.Create());
        var leases = new Dictionary<FakeAgent, string>();
        foreach (var host in (FakeAgent[])[a, b, d])
        {
            var order = await customer.RentAsync(ServiceCoordinator.OneGpuOn(host.HostId));
            Assert.Equal(order.LeaseId, (await NextStartAsync(host)).LeaseId);
            leases[host] = order.LeaseId;
        }

        var (release, held) = HoldMarket(c);
        var now = c.Clock().NowMs;
        // Three starts, then a's workload ends: its second report comes after its first.
        await a.SendReportAsync(Report(leases[a], Phase.Running, now));
        await b.SendReportAsync(Report(leases[b], Phase.Running, now));
        await d.SendReportAsync(Report(leases[d], Phase.Running, now));
        await a.SendReportAsync(new LeaseReport { LeaseId = leases[a], Phase = Phase.Exited, ExitCode = 0, AtUnixMs = now });
        // Meanwhile another coordinator of the store changed d's lease (a note on it): its version moved on.
        await using (var db = await c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync())
        {
            var row = await db.Leases.SingleAsync(l => l.Id == leases[d]);
            row.StateReason = "noted by another coordinator";
            row.Version++;
            await db.SaveChangesAsync();
        }

        Assert.Equal("Starting", (await customer.LeaseAsync(leases[b]))!.State);
        release.SetResult();
        await held;
        await c.Clock().SettleAsync();

        var ended = (await customer.LeaseAsync(leases[a]))!;
        Assert.Equal("Succeeded", ended.State);
        Assert.Equal(["Pending", "Starting", "Running", "Succeeded"], ended.History!.Select(h => h.State).Distinct());
        Assert.Equal("Running", (await customer.LeaseAsync(leases[b]))!.State);
        Assert.Equal("Running", (await customer.LeaseAsync(leases[d]))!.State); // decided again on the lease as it is now
        // a's GPU is free again at once, b's and d's are taken.
        var free = await c.App.Services.GetRequiredService<Market>().FreeGpusNowAsync();
        Assert.Equal(1, free[a.HostId]);
        Assert.Equal(0, free[b.HostId]);
        Assert.Equal(0, free[d.HostId]);
    }

    [Fact]
    public async Task OrdersThatPiledUp_ArePlacedInTheirOrder_NoGpuGivenTwice_TheRestWaitsWithItsReason()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var a = await c.ReadyHostAsync("orders-a", uuids: TwoGpus);
        await using var b = await c.ReadyHostAsync("orders-b", uuids: [.. TwoGpus.Select(u => u + "-b")]);
        var customers = new List<HttpClient>();
        for (var i = 0; i < 5; i++)
            customers.Add(await c.CustomerAsync(Wallet.Create()));

        var (release, held) = HoldMarket(c);
        // Five one-GPU orders for four GPUs, all stored (escrow held) while the market is busy.
        var orders = customers.Select(x => x.RentAsync(MarketClient.Order("sleep 600"))).ToList();
        await using (var db = await c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync())
        {
            for (var wait = 0; wait < 200 && await db.Orders.CountAsync() < 5; wait++)
                await Task.Delay(50);
            Assert.Equal(5, await db.Orders.CountAsync());
        }

        release.SetResult();
        await held;
        var views = await Task.WhenAll(orders);
        var placed = views.Where(o => o.Placed()).ToList();
        Assert.Equal(4, placed.Count);
        var gpus = placed.Select(o => (o.Leases[0].HostId, string.Join(',', o.Leases[0].GpuIndices))).ToList();
        Assert.Equal(gpus.Count, gpus.Distinct().Count());
        var waiting = Assert.Single(views, o => !o.Placed());
        Assert.Equal("Pending", waiting.State);
        Assert.False(string.IsNullOrEmpty(waiting.StateReason));
        // Each placed lease's start went to its host.
        var starts = new List<string> { (await NextStartAsync(a)).LeaseId, (await NextStartAsync(a)).LeaseId,
            (await NextStartAsync(b)).LeaseId, (await NextStartAsync(b)).LeaseId };
        Assert.Equal(placed.Select(o => o.LeaseId).Order(), starts.Order());
    }

    [Fact]
    public async Task APlacementTheStoreRefuses_LeavesTheOrderWaitingAndTheHostFree_ThenItPlacesOnceTheStoreTakesIt()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var host = await c.ReadyHostAsync("refused", uuids: TwoGpus);
        using var customer = await c.CustomerAsync(Wallet.Create());
        var factory = c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>();

        var (release, held) = HoldMarket(c);
        var renting = customer.RentAsync(ServiceCoordinator.OneGpuOn(host.HostId));
        string leaseId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            for (var wait = 0; wait < 200 && !await db.Leases.AnyAsync(); wait++)
                await Task.Delay(50);
            leaseId = (await db.Leases.SingleAsync()).Id;
            // A row already holding the allocation id the lease's first placement takes: the store refuses that write
            // (not a conflict with another coordinator: a failed one).
            db.Allocations.Add(new AllocationRecord { Id = leaseId + ".1", HostId = host.HostId, GpuIndices = "", CreatedAt = DateTimeOffset.UnixEpoch });
            await db.SaveChangesAsync();
        }

        release.SetResult();
        await held;

        // The order is accepted and waits (it was a server error, with the GPU kept taken in the market's memory).
        var order = await renting;
        Assert.Equal("Pending", order.State);
        var market = c.App.Services.GetRequiredService<Market>();
        Assert.Equal(2, (await market.FreeGpusNowAsync())[host.HostId]);

        // Once the store takes the write, the market's next look places it and the host is told to start it.
        await using (var db = await factory.CreateDbContextAsync())
            await db.Allocations.Where(a => a.Id == leaseId + ".1").ExecuteDeleteAsync();
        await c.Clock().AdvanceAsync(2 * SteppedClock.Step);
        Assert.Equal(leaseId, (await NextStartAsync(host)).LeaseId);
        Assert.Equal(1, (await market.FreeGpusNowAsync())[host.HostId]);
    }

    [Fact]
    public async Task AReleaseTheStoreRefuses_TheLeaseStillEnds_AndItsHostKeepsWhatTheStoreHolds()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var host = await c.ReadyHostAsync("release-refused", uuids: TwoGpus);
        using var customer = await c.CustomerAsync(Wallet.Create());
        var order = await customer.RentAsync(ServiceCoordinator.OneGpuOn(host.HostId));
        var (lease, _) = await host.RunNextLeaseAsync();
        Assert.Equal(order.LeaseId, lease.LeaseId);

        // The store refuses to give the allocation back (a failed write, not a conflict with another coordinator).
        var factory = c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>();
        await using (var db = await factory.CreateDbContextAsync())
            await db.Database.ExecuteSqlRawAsync("CREATE TRIGGER refuse_release BEFORE DELETE ON allocations BEGIN SELECT RAISE(ABORT, 'refused'); END");
        await host.ReportAsync(lease.LeaseId, Phase.Exited);

        // The end is stored and goes on to the agent (told it may forget the lease), and the market's memory keeps the
        // GPU taken as the store does (it had given it back in memory only, and skipped the rest of the end).
        Assert.Equal("Succeeded", (await customer.LeaseAsync(lease.LeaseId))!.State);
        Command command;
        do
            command = await host.NextCommandAsync();
        while (command.ForgetLease is null);
        Assert.Equal(lease.LeaseId, command.ForgetLease.LeaseId);
        Assert.Equal(1, (await c.App.Services.GetRequiredService<Market>().FreeGpusNowAsync())[host.HostId]);
        await using (var db = await factory.CreateDbContextAsync())
            Assert.Single(await db.Allocations.Where(a => a.HostId == host.HostId).ToListAsync());
    }

    [Fact]
    public async Task AReleaseTheStoreRefusedForGood_IsGivenBackOnceTheStoreTakesIt_WithoutARestart()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var host = await c.ReadyHostAsync("release-retried", uuids: TwoGpus);
        using var customer = await c.CustomerAsync(Wallet.Create());
        await customer.RentAsync(ServiceCoordinator.OneGpuOn(host.HostId));
        var (lease, _) = await host.RunNextLeaseAsync();
        var factory = c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>();
        var market = c.App.Services.GetRequiredService<Market>();
        await using (var db = await factory.CreateDbContextAsync())
            await db.Database.ExecuteSqlRawAsync("CREATE TRIGGER refuse_release BEFORE DELETE ON allocations BEGIN SELECT RAISE(ABORT, 'refused'); END");
        await host.ReportAsync(lease.LeaseId, Phase.Exited);
        Command command;
        do
            command = await host.NextCommandAsync();
        while (command.ForgetLease is null);

        // While the store refuses, the market keeps trying, and the GPU stays taken as the store holds it.
        await c.Clock().AdvanceAsync(6 * SteppedClock.Step);
        Assert.Equal(1, (await market.FreeGpusNowAsync())[host.HostId]);

        // Once the store takes the write, the GPU is given back (in the store, for every coordinator) and can be rented
        // again: before, only a restart's sweep of stray allocations gave it back.
        await using (var db = await factory.CreateDbContextAsync())
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER refuse_release");
        await c.Clock().AdvanceAsync(20 * SteppedClock.Step);
        Assert.Equal(2, (await market.FreeGpusNowAsync())[host.HostId]);
        await using (var db = await factory.CreateDbContextAsync())
            Assert.Empty(await db.Allocations.Where(a => a.HostId == host.HostId).ToListAsync());
        var both = await customer.RentAsync(new { gpu = new[] { "H100" }, count = 2, maxPrice = 3, type = "on-demand", command = new[] { "sleep", "60" }, host = host.HostId });
        Assert.Equal(both.LeaseId, (await NextStartAsync(host)).LeaseId);
    }

    [Fact]
    public async Task CapacityTheStoreHoldsFreeAtTheSameVersion_IsTakenByTheMatcherAtTheNextReconcile()
    {
        await using var c = await ServiceCoordinator.StartAsync(o => o.Market.CapacityReconcileInterval = 5 * SteppedClock.Step);
        await using var host = await c.ReadyHostAsync("parted", uuids: TwoGpus);
        using var customer = await c.CustomerAsync(Wallet.Create());
        await customer.RentAsync(ServiceCoordinator.OneGpuOn(host.HostId));
        await host.RunNextLeaseAsync();
        var market = c.App.Services.GetRequiredService<Market>();
        Assert.Equal(1, (await market.FreeGpusNowAsync())[host.HostId]);

        // The store's row says both GPUs are free at the version the matcher holds: memory and store parted with no
        // change between them (what a lost update would leave), so the version scan alone never reads the row again.
        var factory = c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            var row = await db.HostCapacity.SingleAsync(r => r.HostId == host.HostId);
            var free = string.Join(",", Enumerable.Repeat(HostCapacityRecord.ParseGpus(row.FreeGpuMilli).Max(), 2));
            await db.Database.ExecuteSqlRawAsync("UPDATE host_capacity SET \"FreeGpuMilli\" = {0} WHERE \"HostId\" = {1}", free, host.HostId);
        }

        // The version scan alone (every 2 steps here) never reads it again; the next reconcile (every 5) does.
        await c.Clock().AdvanceAsync(8 * SteppedClock.Step);
        Assert.Equal(2, (await market.FreeGpusNowAsync())[host.HostId]);
    }

    [Fact]
    public async Task ABatchALaterOrdersStoreErrorStops_GivesBackWhatItHadMatched_SoAnotherCoordinatorsChangeIsSeen()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var host = await c.ReadyHostAsync("stopped-batch", uuids: ["GPU-0"]);
        using var first = await c.CustomerAsync(Wallet.Create());
        using var second = await c.CustomerAsync(Wallet.Create());
        var factory = c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>();
        var market = c.App.Services.GetRequiredService<Market>();
        // The store refuses to note why a lease waits: in a batch of two orders for the host's one GPU, the second
        // fails there, after the matcher gave the GPU to the first and before anything was committed.
        await using (var db = await factory.CreateDbContextAsync())
            await db.Database.ExecuteSqlRawAsync("CREATE TRIGGER refuse_waiting BEFORE UPDATE ON leases WHEN NEW.\"StateReason\" LIKE '%busy%' "
                + "BEGIN SELECT RAISE(ABORT, 'refused'); END");

        var (release, held) = HoldMarket(c);
        var posts = new[] { first, second }.Select(x => x.PostAsJsonAsync("/api/v1/orders", ServiceCoordinator.OneGpuOn(host.HostId))).ToList();
        await using (var db = await factory.CreateDbContextAsync())
        {
            for (var wait = 0; wait < 200 && await db.Orders.CountAsync() < 2; wait++)
                await Task.Delay(50);
            Assert.Equal(2, await db.Orders.CountAsync());
        }

        release.SetResult();
        await held;
        foreach (var post in posts)
            (await post).Dispose();

        await using (var db = await factory.CreateDbContextAsync())
        {
            Assert.Empty(await db.Allocations.ToListAsync()); // nothing was committed
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER refuse_waiting");
            // Meanwhile another coordinator of the store changed the host's row and gave it back as it was: its version
            // moved one on. A matcher still holding the GPU with the host's version one ahead would now agree with the
            // store's version and never read the row again, and the orders would wait for a GPU nobody holds.
            await db.Database.ExecuteSqlRawAsync("UPDATE host_capacity SET \"Version\" = \"Version\" + 1 WHERE \"HostId\" = {0}", host.HostId);
        }

        // Both orders are still queued: once the market has looked at the store again, one gets the GPU, once.
        await c.Clock().AdvanceAsync(3 * SteppedClock.Step);
        var started = await NextStartAsync(host);
        Assert.Equal(0, (await market.FreeGpusNowAsync())[host.HostId]);
        await using (var db = await factory.CreateDbContextAsync())
            Assert.Equal(started.LeaseId + ".1", Assert.Single(await db.Allocations.ToListAsync()).Id);
    }
}

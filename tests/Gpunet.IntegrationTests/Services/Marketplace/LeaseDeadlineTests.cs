using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Services.Marketplace;

/// <summary>The market's deadlines on the fake clock, each met at its exact step: the queue deadline, the start timeout,
/// the end of a term; and a gang placed whole once it fits.</summary>
public sealed class LeaseDeadlineTests
{
    private static readonly string[] EightGpus = [.. Enumerable.Range(0, 8).Select(i => $"GPU-{i}")];

    [Fact]
    public async Task AnOrderStillQueuedAtItsDeadline_ExpiresAtIt()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        using var customer = await c.CustomerAsync(Wallet.Create());
        // A queue deadline of 6 s.
        var order = await customer.RentAsync(MarketClient.Order("true", queueMinutes: 0.1));
        Assert.Equal("Pending", order.State);
        Assert.Equal("no host is ready", order.StateReason);

        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("Pending", (await customer.LeaseAsync(order.LeaseId))!.State);
        await c.Clock().AdvanceAsync(SteppedClock.Step);

        var done = (await customer.LeaseAsync(order.LeaseId))!;
        Assert.Equal("Expired", done.State);
        Assert.Equal("queue-timeout", done.EndReason);
        Assert.Contains("no host is ready", done.StateReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALeaseItsAgentNeverStarts_FailsStartTimeout_AndFreesItsGpus()
    {
        await using var c = await ServiceCoordinator.StartAsync(o => o.Market.LeaseStartTimeout = TimeSpan.FromSeconds(30));
        await using var host = await c.ReadyHostAsync("never-starts");
        using var customer = await c.CustomerAsync(Wallet.Create());
        var order = await customer.RentAsync(ServiceCoordinator.OneGpuOn(host.HostId));
        Assert.True(order.Placed(), order.StateReason);

        // The agent is told to start it and never says it runs: failed once more than 30 s have passed.
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("Starting", (await customer.LeaseAsync(order.LeaseId))!.State);
        await c.Clock().AdvanceAsync(SteppedClock.Step);

        var failed = (await customer.LeaseAsync(order.LeaseId))!;
        Assert.Equal("Failed", failed.State);
        Assert.Equal("start-timeout", failed.EndReason);
        Assert.Contains("within 30 s", failed.StateReason, StringComparison.Ordinal);
        Assert.True((await customer.RentAsync(ServiceCoordinator.OneGpuOn(host.HostId))).Placed(), "the GPU was freed");
    }

    [Fact]
    public async Task ATermThatRunsOut_ExpiresTheLeaseAtItsEnd_AndStopsTheWorkload()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var host = await c.ReadyHostAsync("term");
        // A term of 0.01 h: 36 s from the moment the workload runs.
        var order = new { gpu = new[] { "H100" }, maxPrice = 3, hours = 0.01, command = new[] { "sleep", "60" }, host = host.HostId };
        var (customer, leaseId, _, _) = await c.RunOnAsync(host, order);
        using var _ = customer;

        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(35));
        Assert.Equal("Running", (await customer.LeaseAsync(leaseId))!.State);
        await c.Clock().AdvanceAsync(SteppedClock.Step);

        var done = (await customer.LeaseAsync(leaseId))!;
        Assert.Equal("Expired", done.State);
        Assert.Equal("term-ended", done.EndReason);
        var stop = await host.NextCommandAsync();
        Assert.Equal(leaseId, stop.StopLease?.LeaseId);
    }

    [Fact]
    public async Task AGangOrder_WaitsWholeWhileItDoesNotFit_ThenIsPlacedWholeOnDistinctHosts()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var first = await c.ReadyHostAsync("gang-first", uuids: EightGpus);
        using var customer = await c.CustomerAsync(Wallet.Create());

        var order = await customer.RentAsync(new { gpu = new[] { "H100" }, count = 8, hosts = 2, maxPrice = 3, command = new[] { "sleep", "60" } });
        Assert.Equal(2, order.Leases.Count);
        Assert.All(order.Leases, l => Assert.Equal("Pending", l.State));
        Assert.All(order.Leases, l => Assert.Null(l.HostId)); // nothing held while the gang cannot be placed whole
        Assert.Contains("1 of 2", order.StateReason, StringComparison.Ordinal);
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.All(await Task.WhenAll(order.Leases.Select(l => customer.LeaseAsync(l.Id))), l => Assert.Equal("Pending", l!.State));

        // A second host becomes Ready: the next round places the whole gang.
        await using var second = await c.ReadyHostAsync("gang-second", country: "FR", uuids: [.. EightGpus.Select(u => u + "-fr")]);
        await c.Clock().AdvanceAsync(SteppedClock.Step);
        await first.RunNextLeaseAsync();
        await second.RunNextLeaseAsync();

        var placed = await Task.WhenAll(order.Leases.Select(l => customer.LeaseAsync(l.Id)));
        Assert.All(placed, l => Assert.Equal("Running", l!.State));
        Assert.Equal(new[] { first.HostId, second.HostId }.Order(StringComparer.Ordinal), placed.Select(l => l!.HostId).Order(StringComparer.Ordinal));
        Assert.All(placed, l => Assert.Equal(8, l!.GpuIndices.Count));
    }
}

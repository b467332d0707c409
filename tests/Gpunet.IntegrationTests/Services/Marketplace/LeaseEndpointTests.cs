using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Phase = Gpunet.Protocol.LeaseReport.Types.Phase;

namespace Gpunet.IntegrationTests.Services.Marketplace;

/// <summary>A session's or service's endpoint: the host's address and the port its agent reports with RUNNING; taken
/// for nothing more than a port, only from the host that holds the lease, and gone when the lease ends or moves.</summary>
public sealed class LeaseEndpointTests
{
    private static readonly string[] EightGpus = [.. Enumerable.Range(0, 8).Select(i => $"GPU-{i}")];

    private static object Order(string kind, int? port = null, string restart = "never") => new
    {
        gpu = new[] { "H100" }, count = 1, maxPrice = 3, kind, port, restart, command = new[] { "sleep", "600" },
    };

    /// <summary>Places <paramref name="order"/> on <paramref name="host"/>, which reports it running with <paramref name="port"/>.</summary>
    private static async Task<(HttpClient Customer, string LeaseId, bool Endpoint)> RunAsync(TestCoordinator c, FakeAgent host, object order, int port)
    {
        var customer = await c.CustomerAsync(Wallet.Create());
        var placed = await customer.RentAsync(order);
        Assert.True(placed.Placed(), placed.StateReason);
        var start = await host.NextCommandAsync();
        await host.ReportAsync(placed.LeaseId, Phase.Running, endpointPort: port);
        Assert.Equal("Running", (await customer.LeaseAsync(placed.LeaseId))!.State);
        return (customer, placed.LeaseId, start.StartLease.Endpoint);
    }

    [Fact]
    public async Task TwoServicesOnOneHost_EachShowsTheHostAndItsOwnPort_UntilItEnds()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var host = await c.ReadyHostAsync("services", uuids: EightGpus);

        var (customer, first, asked) = await RunAsync(c, host, Order("service", port: 8080), 30001);
        var (other, second, _) = await RunAsync(c, host, Order("session"), 30002);
        using var _1 = customer;
        using var _2 = other;

        Assert.True(asked); // the agent was told to give the lease a port of its own
        Assert.Equal("127.0.0.1:30001", (await customer.LeaseAsync(first))!.Endpoint);
        Assert.Equal("127.0.0.1:30002", (await other.LeaseAsync(second))!.Endpoint);
        Assert.Contains(await customer.LeasesAsync(), l => l.Id == first && l.Endpoint == "127.0.0.1:30001");

        await host.ReportAsync(first, Phase.Exited);
        var ended = (await customer.LeaseAsync(first))!;
        Assert.Equal(("Succeeded", null), (ended.State, ended.Endpoint));
        Assert.Equal("127.0.0.1:30002", (await other.LeaseAsync(second))!.Endpoint);
    }

    [Fact]
    public async Task AJob_GetsNoPortAndNoEndpoint_WhateverItsAgentSays()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var host = await c.ReadyHostAsync("job", uuids: EightGpus);

        var (customer, job, asked) = await RunAsync(c, host, Order("job"), 30001);
        using var _ = customer;

        Assert.False(asked);
        Assert.Null((await customer.LeaseAsync(job))!.Endpoint);
    }

    [Theory]
    [InlineData(65536)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public async Task APortOutOfRange_GivesNoEndpoint_AndChangesNothingLater(int port)
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var host = await c.ReadyHostAsync("bad-port", uuids: EightGpus);

        var (customer, lease, _) = await RunAsync(c, host, Order("session"), port);
        using var _ = customer;
        var refused = (await customer.LeaseAsync(lease))!;
        Assert.Null(refused.Endpoint);

        // Said again with a port (as on a new stream), the endpoint is taken; a bad port after it changes nothing.
        await host.ReportAsync(lease, Phase.Running, endpointPort: 30005);
        await host.ReportAsync(lease, Phase.Running, endpointPort: port);
        var running = (await customer.LeaseAsync(lease))!;
        Assert.Equal(("Running", "127.0.0.1:30005"), (running.State, running.Endpoint));
        Assert.Equal(refused.History!.Count, running.History!.Count);
    }

    [Fact]
    public async Task AnotherHostsPortForALeaseItDoesNotHold_ChangesNothing()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var holder = await c.ReadyHostAsync("holder", uuids: EightGpus);
        await using var intruder = await c.ReadyHostAsync("intruder", uuids: [.. EightGpus.Select(u => u + "-x")]);
        var (customer, lease, _) = await RunAsync(c, holder, Order("session", restart: "on-host-loss"), 30001);
        using var _ = customer;
        var before = (await customer.LeaseAsync(lease))!;

        await intruder.ReportAsync(lease, Phase.Running, endpointPort: 30999);

        var after = (await customer.LeaseAsync(lease))!;
        Assert.Equal((before.State, before.HostId, "127.0.0.1:30001"), (after.State, after.HostId, after.Endpoint));
        Assert.Equal(before.History!.Count, after.History!.Count);
        // The intruder is told to stop what it claims to run.
        Command stop;
        do
            stop = await intruder.NextCommandAsync();
        while (stop.StopLease is null);
        Assert.Equal(lease, stop.StopLease.LeaseId);
    }

    [Fact]
    public async Task ASessionMovedToAnotherHost_LosesItsEndpoint_UntilTheNewHostReportsItsOwn()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        var first = await c.ReadyHostAsync("first", uuids: EightGpus);
        var (customer, lease, _) = await RunAsync(c, first, Order("session", restart: "on-host-loss"), 30001);
        using var _ = customer;

        await first.DisposeAsync(); // the host goes silent, then Offline; nowhere to move yet
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(12));
        var waiting = (await customer.LeaseAsync(lease))!;
        Assert.Equal(("Pending", null), (waiting.State, waiting.Endpoint));

        await using var second = await c.ReadyHostAsync("second", country: "FR", uuids: [.. EightGpus.Select(u => u + "-fr")]);
        // One more round: within the round the host turned Ready, the market's tick may have run before the monitor's.
        await c.Clock().AdvanceAsync(SteppedClock.Step);
        Command start;
        do
            start = await second.NextCommandAsync();
        while (start.StartLease is null);
        Assert.Null((await customer.LeaseAsync(lease))!.Endpoint); // placed, not yet running
        await second.ReportAsync(lease, Phase.Running, endpointPort: 30002);

        var moved = (await customer.LeaseAsync(lease))!;
        Assert.Equal((second.HostId, 2, "127.0.0.1:30002"), (moved.HostId, moved.Attempt, moved.Endpoint));
    }
}

using Gpunet.Coordinator;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Services;

/// <summary>Starting a coordinator of the service tier (on a fresh <see cref="SteppedClock"/>) and the steps its tests
/// share.</summary>
internal static class ServiceCoordinator
{
    /// <summary>A coordinator on a new fake clock, SQLite in a fresh folder unless <paramref name="db"/> says otherwise.</summary>
    public static Task<TestCoordinator> StartAsync(Action<CoordinatorOptions>? configure = null, string? dataDir = null, string? db = null,
        SteppedClock? clock = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null) =>
        TestCoordinator.StartAsync(dataDir, db, configure: configure, clock: clock ?? new SteppedClock(), services: services);

    /// <summary>The coordinator's clock.</summary>
    public static SteppedClock Clock(this TestCoordinator c) => c.Clock ?? throw new InvalidOperationException("not a service-tier coordinator");

    /// <summary>Connects a fake agent and steps the clock until its host is Ready.</summary>
    public static async Task<FakeAgent> ReadyHostAsync(this TestCoordinator c, string seed, Wallet? wallet = null, string country = "DE", params string[] uuids)
    {
        var agent = await FakeAgent.ConnectAsync(c, seed, wallet, country: country, uuids: uuids);
        // Registered and first heard at the same instant: Ready once a later heartbeat is heard, at the round after it;
        // where another coordinator leads, once it has read the heartbeat from the store and this one its decision (a
        // few rounds).
        await c.Clock().AdvanceAsync(2 * SteppedClock.Step);
        for (var round = 0; round < 6 && (await c.HostAsync(agent.HostId))!.State != "Ready"; round++)
            await c.Clock().AdvanceAsync(SteppedClock.Step);
        Assert.Equal("Ready", (await c.HostAsync(agent.HostId))!.State);
        return agent;
    }

    /// <summary>Rents <paramref name="order"/> as a new customer, which must be placed at once; the host runs it.</summary>
    public static async Task<(HttpClient Customer, string LeaseId, Gpunet.Protocol.StartLease Lease, long StartedMs)> RunOnAsync(
        this TestCoordinator c, FakeAgent host, object order, decimal funds = 100_000)
    {
        var customer = await c.CustomerAsync(Wallet.Create(), funds);
        var placed = await customer.RentAsync(order);
        Assert.True(placed.Placed(), placed.StateReason);
        var (lease, started) = await host.RunNextLeaseAsync();
        Assert.Equal("Running", (await customer.LeaseAsync(placed.LeaseId))!.State);
        return (customer, placed.LeaseId, lease, started);
    }

    /// <summary>An order for one H100 on <paramref name="hostId"/>.</summary>
    public static object OneGpuOn(string hostId, string type = "on-demand") =>
        new { gpu = new[] { "H100" }, count = 1, maxPrice = 3, type, command = new[] { "sleep", "60" }, host = hostId };
}

using Gpunet.Coordinator.Marketplace;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Services.Sla;

/// <summary>A session on a tier is placed only on a host whose checkers measured round trips within the tier's bound,
/// and waits naming the measured median and the bound while none is; a job on the same tier is not bound.</summary>
public sealed class SessionLatencyPlacementTests
{
    [Fact]
    public async Task EnterpriseSession_OnlyASlowHost_WaitsNamingTheRoundTrip_ThenAFastHostTakesIt_WhileAJobStillUsesTheSlowOne()
    {
        await using var c = await ServiceCoordinator.StartAsync(o => o.Market.TrackRecordInterval = SteppedClock.Step);
        await using var slow = await c.ReadyHostAsync("rtt-slow");
        // Three checkers measure about 120 ms; enterprise allows a session 50 ms.
        Measure(c, slow, 118, 120, 125);

        using var customer = await c.CustomerAsync(Wallet.Create());
        var session = await customer.RentAsync(Order("session"));
        Assert.False(session.Placed());
        var waiting = (await customer.LeaseAsync(session.LeaseId))!;
        Assert.Equal("Pending", waiting.State);
        Assert.Contains("round trip 120 ms > enterprise's 50 ms", waiting.StateReason, StringComparison.Ordinal);

        var job = await customer.RentAsync(Order("job"));
        Assert.True(job.Placed(), job.StateReason);
        Assert.Equal(slow.HostId, Assert.Single(job.Leases).HostId);

        // A host the checkers measure fast joins: once Ready, the waiting session is placed there.
        await using var fast = await FakeAgent.ConnectAsync(c, "rtt-fast");
        Measure(c, fast, 12, 15, 30);
        await c.Clock().AdvanceAsync(2 * SteppedClock.Step);
        Assert.Equal("Ready", (await c.HostAsync(fast.HostId))!.State);
        // The market retries the queue as hosts and their round trips change: a few steps at most.
        var placed = (await customer.LeaseAsync(session.LeaseId))!;
        for (var step = 0; step < 10 && placed.HostId is null; step++)
        {
            await c.Clock().AdvanceAsync(SteppedClock.Step);
            placed = (await customer.LeaseAsync(session.LeaseId))!;
        }

        Assert.Equal(fast.HostId, placed.HostId);
        Assert.NotEqual("Pending", placed.State);
    }

    private static object Order(string kind) =>
        new { gpu = new[] { "H100" }, count = 1, maxPrice = 3, slaTier = "enterprise", kind, command = new[] { "sleep", "60" } };

    // One liveness check's round trips, as the verification module hands them over: checkers around the host's
    // declared 0°, 0°, so that the round trips say nothing about where it is, only how slow it answers.
    private static void Measure(TestCoordinator c, FakeAgent host, params double[] roundTripsMs)
    {
        (double Lat, double Lon)[] checkers = [(1, 1), (-1, 1), (1, -1)];
        c.App.Services.GetRequiredService<IRoundTripSink>().Measured(host.HostId, [.. roundTripsMs.Select((ms, i) =>
            new LocationProbe(Address.Parse("0x" + new string((char)('1' + i), 40)), new LocationPoint(checkers[i].Lat, checkers[i].Lon), ms))]);
    }
}

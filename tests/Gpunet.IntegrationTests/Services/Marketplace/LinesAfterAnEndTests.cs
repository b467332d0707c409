using Gpunet.Coordinator.Marketplace;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;

namespace Gpunet.IntegrationTests.Services.Marketplace;

/// <summary>An agent whose workload ended while its stream was down tells the end when it registers again, then sends
/// the lines it wrote before it: they are kept (found by the seeded service chaos run, where they were never
/// acknowledged, so the real agent dropped them on the coordinator's forget).</summary>
public sealed class LinesAfterAnEndTests
{
    [Fact]
    public async Task LinesSentAfterARegistrationThatReportsTheEnd_AreKeptAndAcknowledged_UntilTheGraceIsOver()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        var host = await c.ReadyHostAsync("away");
        var (customer, leaseId, lease, _) = await c.RunOnAsync(host, ServiceCoordinator.OneGpuOn(host.HostId));
        using var _ = customer;
        await host.SendLinesAsync(lease, 1, ["a1", "a2"]);
        Assert.Equal(2, (await host.NextLogAckAsync()).LastSequence);

        // The stream breaks with "a3" unsent; the workload exits meanwhile, and the agent registers again with its end.
        await host.DisposeAsync();
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(2));
        var exited = new LeaseReport { LeaseId = leaseId, Phase = LeaseReport.Types.Phase.Exited, ExitCode = 0, AtUnixMs = c.Clock().NowMs };
        await using var again = await FakeAgent.ConnectAsync(c, "away", host.Wallet, [exited]);
        await c.Clock().SettleAsync();
        Assert.Equal("Succeeded", (await customer.LeaseAsync(leaseId))!.State);

        await again.SendLinesAsync(lease, 3, ["a3"]);
        Assert.Equal(3, (await again.NextLogAckAsync()).LastSequence);
        Assert.Equal(["a1", "a2", "a3"], (await customer.LogsAsync(leaseId)).Select(l => l.Text));

        // Past the grace, a batch is acknowledged (the agent lets go of it) and not kept.
        await c.Clock().AdvanceAsync(LogIntake.LateLinesGrace + SteppedClock.Step);
        await again.SendLinesAsync(lease, 4, ["too late"]);
        Assert.Equal(4, (await again.NextLogAckAsync()).LastSequence);
        Assert.Equal(["a1", "a2", "a3"], (await customer.LogsAsync(leaseId)).Select(l => l.Text));
    }

    [Fact]
    public async Task AFloodOfBatchesForLeasesNotHeldHere_IsLookedUpAtMostABurstAtATime_TheRestIsNotAcknowledged()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        var host = await c.ReadyHostAsync("flood");
        var (customer, leaseId, lease, _) = await c.RunOnAsync(host, ServiceCoordinator.OneGpuOn(host.HostId));
        using var _ = customer;
        await host.DisposeAsync();
        var exited = new LeaseReport { LeaseId = leaseId, Phase = LeaseReport.Types.Phase.Exited, ExitCode = 0, AtUnixMs = c.Clock().NowMs };
        await using var again = await FakeAgent.ConnectAsync(c, "flood", host.Wallet, [exited]);
        await c.Clock().SettleAsync();

        // Each batch of the ended lease (no longer held here) costs a store lookup: a burst of them is taken, the rest
        // is not acknowledged and waits for the agent's next stream.
        for (var i = 1; i <= LogIntake.LookupBurst + 10; i++)
            await again.SendLinesAsync(lease, i, [$"line {i}"]);
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(1)); // refills a few lookups
        await again.SendLinesAsync(lease, 100, ["after a second"]);

        var acknowledged = new List<long>();
        while (acknowledged.LastOrDefault() != 100)
            acknowledged.Add((await again.NextLogAckAsync()).LastSequence);
        Assert.Equal([.. Enumerable.Range(1, LogIntake.LookupBurst).Select(i => (long)i), 100L], acknowledged);
        Assert.Equal(LogIntake.LookupBurst + 1, (await customer.LogsAsync(leaseId)).Count);
    }

    [Fact]
    public async Task LinesOfAnAttemptThatIsOver_SentAgainToARestartedCoordinator_AreAcknowledgedAndNotKept()
    {
        var clock = new SteppedClock();
        var data = TestCoordinator.NewDataDir();
        var wallet = Gpunet.Core.Identity.Wallet.Create();
        StartLease lease;
        long started;
        string leaseId;
        await using (var c = await ServiceCoordinator.StartAsync(dataDir: data, clock: clock))
        {
            var host = await c.ReadyHostAsync("moved", wallet);
            using var customer = await c.CustomerAsync(Gpunet.Core.Identity.Wallet.Create());
            leaseId = (await customer.RentAsync(MarketClient.Order("sleep 600", restart: "on-host-loss"))).LeaseId;
            (lease, started) = await host.RunNextLeaseAsync();

            // The host is lost: the lease waits to move (no other host).
            await host.DisposeAsync();
            await clock.AdvanceAsync(TimeSpan.FromSeconds(12));
            Assert.Equal("Pending", (await customer.LeaseAsync(leaseId))!.State);
        }

        // The agent comes back to a restarted coordinator and sends again the lines it kept.
        await using var restarted = await ServiceCoordinator.StartAsync(dataDir: data, clock: clock);
        var running = new LeaseReport { LeaseId = leaseId, Phase = LeaseReport.Types.Phase.Running, AtUnixMs = started };
        await using var again = await FakeAgent.ConnectAsync(restarted, "moved", wallet, [running]);
        await again.SendLinesAsync(lease, 1, ["from the lost attempt"]);

        // Acknowledged, so the agent lets go of them (before, never: it sent them on every stream), and not kept.
        var ack = await again.NextLogAckAsync();
        Assert.Equal((1, 1L), (ack.Attempt, ack.LastSequence));
        Assert.Empty(await restarted.Admin.LogsAsync(leaseId));
    }
}

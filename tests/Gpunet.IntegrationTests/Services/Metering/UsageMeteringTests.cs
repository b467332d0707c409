using Gpunet.Coordinator.Metering;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Services.Metering;

/// <summary>On-demand leases metered from the agents' signed usage reports, cross-checked against heartbeats, on the fake
/// clock: the billed milliseconds are exact.</summary>
public sealed class UsageMeteringTests
{
    private static Task<List<LeaseUsageRecord>> RowsAsync(TestCoordinator c, string leaseId) =>
        c.App.Services.GetRequiredService<UsageStore>().ForLeaseAsync(leaseId, CancellationToken.None);

    [Fact]
    public async Task AReportSignedByAnotherKey_IsRefused_AndNothingIsStored()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var host = await c.ReadyHostAsync("forged");
        var (customer, leaseId, lease, started) = await c.RunOnAsync(host, ServiceCoordinator.OneGpuOn(host.HostId));
        using var _ = customer;
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(2));

        var ack = await host.SendUsageAsync(host.Report(lease, started, started + 500, 1, signer: Wallet.Create()));

        Assert.False(ack.Accepted);
        Assert.Equal("BadSignature", ack.Code);
        Assert.Contains(host.Wallet.Address.Value, ack.Reason, StringComparison.Ordinal);
        Assert.Empty(await RowsAsync(c, leaseId));

        // Signed for another network: refused too.
        ack = await host.SendUsageAsync(host.Report(lease, started, started + 500, 1, network: "mainnet"));
        Assert.Equal("BadSignature", ack.Code);
        Assert.Empty(await RowsAsync(c, leaseId));
        var metrics = await c.Anonymous.GetStringAsync("/metrics");
        Assert.Contains("gpunet_usage_reports_total{outcome=\"BadSignature\"} 2", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReportForAnotherHostsLease_IsRefused_AndNothingIsStored()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var owner = await c.ReadyHostAsync("owner");
        await using var other = await c.ReadyHostAsync("other");
        var (customer, leaseId, lease, started) = await c.RunOnAsync(owner, ServiceCoordinator.OneGpuOn(owner.HostId));
        using var _ = customer;
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(2));

        // Honestly signed by the other host, under its own host id.
        var ack = await other.SendUsageAsync(other.Report(lease, started, started + 500, 1));
        Assert.False(ack.Accepted);
        Assert.Equal("NotThisHostsLease", ack.Code);

        // Naming the owner's host from its own stream.
        ack = await other.SendUsageAsync(other.Report(lease, started, started + 500, 1, hostId: owner.HostId));
        Assert.Equal("NotThisHostsLease", ack.Code);
        Assert.Empty(await RowsAsync(c, leaseId));

        // The owner's own report is taken.
        ack = await owner.SendUsageAsync(owner.Report(lease, started, started + 500, 1));
        Assert.True(ack.Accepted, ack.Reason);
        Assert.Single(await RowsAsync(c, leaseId));
    }

    [Fact]
    public async Task AReplay_IsAnsweredAsBefore_ButOverlappingOrReusedReportsAreRefused()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var host = await c.ReadyHostAsync("replay");
        var (customer, leaseId, lease, started) = await c.RunOnAsync(host, ServiceCoordinator.OneGpuOn(host.HostId));
        using var _ = customer;
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(2));
        // Heard through now: every report below is answered at once.
        await host.HeartbeatAsync();

        var first = host.Report(lease, started, started + 1_000, 1);
        var ack = await host.SendUsageAsync(first);
        Assert.True(ack.Accepted, ack.Reason);
        // Heard throughout: the whole second is billed.
        Assert.Equal(1_000, ack.BilledMs);

        // The same report again (a resend after a reconnect): the same answer, stored once.
        var again = await host.SendUsageAsync(first);
        Assert.True(again.Accepted);
        Assert.Equal(ack.BilledMs, again.BilledMs);

        // Time already billed, under a new sequence: refused.
        var overlap = await host.SendUsageAsync(host.Report(lease, started + 500, started + 1_200, 2));
        Assert.False(overlap.Accepted);
        Assert.Equal("AlreadyBilled", overlap.Code);

        // Another period under the used sequence: refused.
        var reused = await host.SendUsageAsync(host.Report(lease, started + 1_000, started + 1_200, 1));
        Assert.Equal("SequenceReused", reused.Code);

        var row = Assert.Single(await RowsAsync(c, leaseId));
        Assert.Equal(started + 1_000, row.ToMs);
        Assert.Equal(ack.BilledMs, row.BilledMs);

        // The next period is taken.
        Assert.True((await host.SendUsageAsync(host.Report(lease, started + 1_000, started + 1_400, 2))).Accepted);
        Assert.Equal(2, (await RowsAsync(c, leaseId)).Count);
    }

    [Fact]
    public async Task AfterACoordinatorRestart_TimeBilledBeforeIsStillRefused()
    {
        var data = TestCoordinator.NewDataDir();
        var wallet = Wallet.Create();
        var clock = new SteppedClock();
        Gpunet.Protocol.StartLease lease;
        long started;
        long firstBilled;
        await using (var c = await ServiceCoordinator.StartAsync(dataDir: data, clock: clock))
        {
            await using var host = await c.ReadyHostAsync("restart", wallet);
            (var customer, _, lease, started) = await c.RunOnAsync(host, ServiceCoordinator.OneGpuOn(host.HostId));
            customer.Dispose();
            await clock.AdvanceAsync(TimeSpan.FromSeconds(2));
            var ack = await host.SendUsageAsync(host.Report(lease, started, started + 1_000, 1));
            Assert.True(ack.Accepted, ack.Reason);
            firstBilled = ack.BilledMs;
        }

        await using var restarted = await ServiceCoordinator.StartAsync(dataDir: data, clock: clock);
        var running = new Gpunet.Protocol.LeaseReport { LeaseId = lease.LeaseId, Phase = Gpunet.Protocol.LeaseReport.Types.Phase.Running, AtUnixMs = started };
        await using var again = await FakeAgent.ConnectAsync(restarted, "restart", wallet, [running]);
        await clock.AdvanceAsync(TimeSpan.FromSeconds(1));

        // The billed-through mark came back from the store: time billed before the restart is refused.
        var overlap = await again.SendUsageAsync(again.Report(lease, started + 500, started + 1_500, 2));
        Assert.Equal("AlreadyBilled", overlap.Code);
        var replay = await again.SendUsageAsync(again.Report(lease, started, started + 1_000, 1));
        Assert.True(replay.Accepted, replay.Reason);
        Assert.Equal(firstBilled, replay.BilledMs);
        Assert.Single(await RowsAsync(restarted, lease.LeaseId));
    }

    [Fact]
    public async Task TimeTheHostWasNotHeardFrom_IsNotBilled()
    {
        await using var c = await ServiceCoordinator.StartAsync(o =>
        {
            // The host stays Ready through the silence: this test is about billing, not failure detection.
            o.Hosts.SuspectAfterMissedHeartbeats = 50;
            o.Hosts.OfflineGracePeriod = TimeSpan.FromMinutes(5);
        });
        var clock = c.Clock();
        await using var host = await c.ReadyHostAsync("silent");
        var (customer, leaseId, lease, started) = await c.RunOnAsync(host, ServiceCoordinator.OneGpuOn(host.HostId));
        using var _ = customer;
        await clock.AdvanceAsync(TimeSpan.FromSeconds(2));

        // Heard last just before the step that ends here; silent for 6 s, far longer than the heard gap (2 × 1 s + 500 ms).
        host.GoSilent();
        var silentFrom = clock.NowMs - 1_000;
        await clock.AdvanceAsync(TimeSpan.FromSeconds(5));
        host.Resume();
        var silentTo = clock.NowMs;
        await clock.AdvanceAsync(TimeSpan.FromSeconds(2));
        await host.HeartbeatAsync();

        var to = clock.NowMs;
        var ack = await host.SendUsageAsync(host.Report(lease, started, to, 1));

        Assert.True(ack.Accepted, ack.Reason);
        Assert.Equal(to - started - (silentTo - silentFrom), ack.BilledMs);
        Assert.Equal(ack.BilledMs, Assert.Single(await RowsAsync(c, leaseId)).BilledMs);
    }

    [Fact]
    public async Task AReportPastTheLastHeartbeat_IsAnsweredWhenTheNextOneConfirmsIt()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        var clock = c.Clock();
        await using var host = await c.ReadyHostAsync("waits");
        var (customer, leaseId, lease, started) = await c.RunOnAsync(host, ServiceCoordinator.OneGpuOn(host.HostId));
        using var _ = customer;
        await clock.AdvanceAsync(TimeSpan.FromSeconds(2));

        // The period runs to now; the host was last heard a step ago, so the answer waits for the next heartbeat.
        var answer = host.SendUsageAsync(host.Report(lease, started, clock.NowMs, 1));
        await clock.AdvanceAsync(SteppedClock.Step);
        var ack = await answer;

        Assert.True(ack.Accepted, ack.Reason);
        Assert.Equal(2_000, ack.BilledMs);
        Assert.Single(await RowsAsync(c, leaseId));
    }
}

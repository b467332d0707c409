using Gpunet.Coordinator.Metering;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Metering;

/// <summary>On-demand leases metered from the agents' signed usage reports, cross-checked against heartbeats.</summary>
public sealed class UsageMeteringTests
{
    private static Task<List<LeaseUsageRecord>> RowsAsync(TestCoordinator c, string leaseId) =>
        c.App.Services.GetRequiredService<UsageStore>().ForLeaseAsync(leaseId, CancellationToken.None);

    [Fact]
    public async Task ARunningLease_IsReportedEverySecond_AndBilledForItsRunningTime()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:2", usageInterval: TimeSpan.FromSeconds(1));
        await c.WaitForStateAsync(await agent.HostIdAsync(), "Ready");
        using var customer = await c.CustomerAsync(Wallet.Create());

        var order = await customer.RentAsync(MarketClient.Order("sleep 4", count: 2));
        var done = await customer.WaitForStateAsync(order.LeaseId, "Succeeded");

        var started = done.StartedAt!.Value.ToUnixTimeMilliseconds();
        var ended = done.EndedAt!.Value.ToUnixTimeMilliseconds();
        // The last report (the tail) comes with the end, and is taken after the next heartbeat.
        var rows = await Eventually.Async<List<LeaseUsageRecord>>(async () => await RowsAsync(c, order.LeaseId), r => r.Count > 0 && r[^1].ToMs >= ended - 1_000, "the final usage report");
        Assert.True(rows.Count >= 4, $"{rows.Count} reports over about 4 s at one a second");
        Assert.Equal(Enumerable.Range(1, rows.Count).Select(i => (long)i), rows.Select(r => r.Sequence));
        Assert.Equal(started, rows[0].FromMs);
        for (var i = 1; i < rows.Count; i++)
            Assert.Equal(rows[i - 1].ToMs, rows[i].FromMs); // back to back: no time billed twice, none skipped
        Assert.All(rows, r =>
        {
            Assert.Equal(agent.Wallet.Address.Value, r.Operator);
            Assert.Equal(2, r.Gpus);
            Assert.Equal(1000, r.GpuMilli);
            Assert.Null(r.Epoch);
            Assert.True(r.BilledMs <= r.ReportedMs);
        });

        // The host heartbeated all along: the billed time is the running time (the workload ran for its 4 s).
        var billed = rows.Sum(r => r.BilledMs);
        var running = ended - started;
        Assert.InRange(billed, 3_800, running);
        Assert.True(running - billed < 1_000, $"billed {billed} ms of {running} ms running");

        var metrics = await c.Anonymous.GetStringAsync("/metrics");
        Assert.Contains("gpunet_usage_reports_total{outcome=\"accepted\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReportSignedByAnotherKey_IsRefused_AndNothingIsStored()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var host = await FakeAgent.ConnectAsync(c, "forged");
        host.Beat();
        var (lease, started) = await RentOnAsync(c, host);
        await Task.Delay(1_000);

        var ack = await host.SendUsageAsync(host.Report(lease, started, started + 500, 1, signer: Wallet.Create()));

        Assert.False(ack.Accepted);
        Assert.Equal("BadSignature", ack.Code);
        Assert.Contains(host.Wallet.Address.Value, ack.Reason, StringComparison.Ordinal);
        Assert.Empty(await RowsAsync(c, lease.LeaseId));

        // Signed for another network: refused too.
        ack = await host.SendUsageAsync(host.Report(lease, started, started + 500, 1, network: "mainnet"));
        Assert.Equal("BadSignature", ack.Code);
        Assert.Empty(await RowsAsync(c, lease.LeaseId));
        var metrics = await c.Anonymous.GetStringAsync("/metrics");
        Assert.Contains("gpunet_usage_reports_total{outcome=\"BadSignature\"} 2", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReportForAnotherHostsLease_IsRefused_AndNothingIsStored()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var owner = await FakeAgent.ConnectAsync(c, "owner");
        await using var other = await FakeAgent.ConnectAsync(c, "other");
        owner.Beat();
        other.Beat();
        var (lease, started) = await RentOnAsync(c, owner, pin: owner.HostId);
        await Task.Delay(1_000);

        // Honestly signed by the other host, under its own host id.
        var ack = await other.SendUsageAsync(other.Report(lease, started, started + 500, 1));
        Assert.False(ack.Accepted);
        Assert.Equal("NotThisHostsLease", ack.Code);

        // Naming the owner's host from its own stream.
        ack = await other.SendUsageAsync(other.Report(lease, started, started + 500, 1, hostId: owner.HostId));
        Assert.Equal("NotThisHostsLease", ack.Code);
        Assert.Empty(await RowsAsync(c, lease.LeaseId));

        // The owner's own report is taken.
        ack = await owner.SendUsageAsync(owner.Report(lease, started, started + 500, 1));
        Assert.True(ack.Accepted, ack.Reason);
        Assert.Single(await RowsAsync(c, lease.LeaseId));
    }

    [Fact]
    public async Task AReplay_IsAnsweredAsBefore_ButOverlappingOrReusedReportsAreRefused()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var host = await FakeAgent.ConnectAsync(c, "replay");
        host.Beat();
        var (lease, started) = await RentOnAsync(c, host);
        await Task.Delay(1_500);

        var first = host.Report(lease, started, started + 1_000, 1);
        var ack = await host.SendUsageAsync(first);
        Assert.True(ack.Accepted, ack.Reason);
        Assert.InRange(ack.BilledMs, 900, 1_000);

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

        var row = Assert.Single(await RowsAsync(c, lease.LeaseId));
        Assert.Equal(started + 1_000, row.ToMs);
        Assert.Equal(ack.BilledMs, row.BilledMs);

        // The next period is taken.
        Assert.True((await host.SendUsageAsync(host.Report(lease, started + 1_000, started + 1_400, 2))).Accepted);
        Assert.Equal(2, (await RowsAsync(c, lease.LeaseId)).Count);
    }

    [Fact]
    public async Task AfterACoordinatorRestart_TimeBilledBeforeIsStillRefused()
    {
        var data = TestCoordinator.NewDataDir();
        var wallet = Wallet.Create();
        Gpunet.Protocol.StartLease lease;
        long started;
        long firstBilled;
        await using (var c = await TestCoordinator.StartAsync(data))
        {
            await using var host = await FakeAgent.ConnectAsync(c, "restart", wallet);
            host.Beat();
            (lease, started) = await RentOnAsync(c, host);
            await Task.Delay(1_200);
            var ack = await host.SendUsageAsync(host.Report(lease, started, started + 1_000, 1));
            Assert.True(ack.Accepted, ack.Reason);
            firstBilled = ack.BilledMs;
        }

        await using var restarted = await TestCoordinator.StartAsync(data);
        var running = new Gpunet.Protocol.LeaseReport { LeaseId = lease.LeaseId, Phase = Gpunet.Protocol.LeaseReport.Types.Phase.Running, AtUnixMs = started };
        await using var again = await FakeAgent.ConnectAsync(restarted, "restart", wallet, [running]);
        again.Beat();
        await Task.Delay(500);

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
        await using var c = await TestCoordinator.StartAsync(configure: o =>
        {
            // The host stays Ready through the silence: this test is about billing, not failure detection.
            o.Hosts.SuspectAfterMissedHeartbeats = 50;
            o.Hosts.OfflineGracePeriod = TimeSpan.FromSeconds(30);
        });
        await using var host = await FakeAgent.ConnectAsync(c, "silent");
        host.Beat();
        var (lease, started) = await RentOnAsync(c, host);
        await Task.Delay(1_000);

        // Silent for 3 s: far longer than two heartbeat intervals (the coordinator's gap is 2 × 200 ms + 500 ms).
        await host.PauseHeartbeatsAsync();
        var silentFrom = FakeAgent.NowMs();
        await Task.Delay(3_000);
        var silentTo = FakeAgent.NowMs();
        host.Beat();
        await Task.Delay(1_000);

        var to = FakeAgent.NowMs() - 100;
        var ack = await host.SendUsageAsync(host.Report(lease, started, to, 1));

        Assert.True(ack.Accepted, ack.Reason);
        var reported = to - started;
        var silence = silentTo - silentFrom;
        // The test reads its clock around the silence; the coordinator times the heartbeats it got: a few ms apart.
        Assert.True(ack.BilledMs <= reported - silence + 50, $"billed {ack.BilledMs} ms of {reported} ms with {silence} ms unheard");
        Assert.True(ack.BilledMs >= reported - silence - 1_200, $"billed {ack.BilledMs} ms of {reported} ms with {silence} ms unheard");
        Assert.Equal(ack.BilledMs, Assert.Single(await RowsAsync(c, lease.LeaseId)).BilledMs);
    }

    /// <summary>Rents one GPU (of the fake host, or pinned to <paramref name="pin"/>) and has the fake agent run it.</summary>
    private static async Task<(Gpunet.Protocol.StartLease Lease, long StartedMs)> RentOnAsync(TestCoordinator c, FakeAgent host, string? pin = null)
    {
        await c.WaitForStateAsync(host.HostId, "Ready");
        using var customer = await c.CustomerAsync(Wallet.Create());
        var order = await customer.RentAsync(new { gpu = new[] { "H100" }, count = 1, maxPrice = 3, command = new[] { "sleep", "60" }, host = pin ?? host.HostId });
        Assert.True(order.Placed(), order.StateReason);
        var running = await host.RunNextLeaseAsync();
        await customer.WaitForStateAsync(order.LeaseId, "Running");
        return running;
    }
}

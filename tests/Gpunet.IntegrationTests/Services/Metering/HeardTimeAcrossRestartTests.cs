using Gpunet.Coordinator;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Services.Metering;

/// <summary>When each host was heard survives a coordinator restart (stored with its last-heard time, seeded back at
/// start), on the fake clock: a usage report whose period spans the restart is billed for the time heard before it.</summary>
public sealed class HeardTimeAcrossRestartTests
{
    private static readonly long StepMs = (long)SteppedClock.Step.TotalMilliseconds;

    /// <summary>Last-heard times stored every 2 steps, as often as production stores them relative to its heartbeat.</summary>
    private static void StoreHeardOften(CoordinatorOptions o) => o.Hosts.PersistHeardEvery = 2 * SteppedClock.Step;

    private static async Task<HostRecord> StoredAsync(TestCoordinator c, string hostId) =>
        (await c.App.Services.GetRequiredService<HostStore>().LoadAllAsync(CancellationToken.None)).Single(h => h.Id == hostId);

    private static LeaseReport Running(StartLease lease, long started) =>
        new() { LeaseId = lease.LeaseId, Phase = LeaseReport.Types.Phase.Running, AtUnixMs = started };

    [Fact]
    public async Task AReportSpanningARestart_IsBilledForTheTimeHeardBeforeIt()
    {
        var data = TestCoordinator.NewDataDir();
        var wallet = Wallet.Create();
        var clock = new SteppedClock();
        StartLease lease;
        long started;
        long heardBefore;
        await using (var c = await ServiceCoordinator.StartAsync(StoreHeardOften, dataDir: data, clock: clock))
        {
            await using var host = await c.ReadyHostAsync("restart-bills", wallet);
            (var customer, _, lease, started) = await c.RunOnAsync(host, ServiceCoordinator.OneGpuOn(host.HostId));
            customer.Dispose();
            await clock.AdvanceAsync(TimeSpan.FromSeconds(10));
            heardBefore = clock.NowMs - StepMs;

            // The periodic write (not only the one at shutdown) holds the heard period: what a crash leaves behind.
            var stored = await StoredAsync(c, host.HostId);
            Assert.NotNull(stored.HeardSince);
            Assert.True(stored.HeardSince!.Value.ToUnixTimeMilliseconds() <= started, $"heard since {stored.HeardSince}, lease started {started}");
            Assert.True(stored.LastHeardAt!.Value.ToUnixTimeMilliseconds() >= heardBefore - (2 * StepMs));
        }

        // Down for 5 s: longer than the heard gap, so the outage itself is not heard.
        var outage = TimeSpan.FromSeconds(5);
        await clock.AdvanceAsync(outage);
        await using var restarted = await ServiceCoordinator.StartAsync(StoreHeardOften, dataDir: data, clock: clock);
        await using var again = await FakeAgent.ConnectAsync(restarted, "restart-bills", wallet, [Running(lease, started)]);
        await clock.AdvanceAsync(TimeSpan.FromSeconds(2));
        await again.HeartbeatAsync();

        var to = clock.NowMs;
        var ack = await again.SendUsageAsync(again.Report(lease, started, to, 1));

        Assert.True(ack.Accepted, ack.Reason);
        // Everything heard before the restart is billed (before, only the 2 s after it were), and the restart cost no
        // more than the time between the last heartbeat before it and the first after it.
        Assert.True(ack.BilledMs >= heardBefore - started, $"billed {ack.BilledMs} ms of {to - started}; heard {heardBefore - started} ms before the restart");
        Assert.True(ack.BilledMs >= to - started - (long)outage.TotalMilliseconds - StepMs, $"billed {ack.BilledMs} ms of {to - started}");
        Assert.True(ack.BilledMs <= to - started - (long)outage.TotalMilliseconds, $"billed {ack.BilledMs} ms, the {outage} outage included");
    }

    [Fact]
    public async Task ASilenceBeforeARestart_IsStillNotBilledAfterIt()
    {
        var data = TestCoordinator.NewDataDir();
        var wallet = Wallet.Create();
        var clock = new SteppedClock();
        StartLease lease;
        long started;
        long silentFrom;
        long silentTo;
        await using (var c = await ServiceCoordinator.StartAsync(o =>
        {
            StoreHeardOften(o);
            // The host stays Ready through the silence: this test is about billing, not failure detection.
            o.Hosts.SuspectAfterMissedHeartbeats = 50;
            o.Hosts.OfflineGracePeriod = TimeSpan.FromMinutes(5);
        }, dataDir: data, clock: clock))
        {
            await using var host = await c.ReadyHostAsync("silence-stays", wallet);
            (var customer, _, lease, started) = await c.RunOnAsync(host, ServiceCoordinator.OneGpuOn(host.HostId));
            customer.Dispose();
            await clock.AdvanceAsync(TimeSpan.FromSeconds(2));

            // Silent for 6 s, far longer than the heard gap (2 × 1 s + 500 ms); then heard again for a while, stored. The
            // time before the silence is reported and billed before it.
            host.GoSilent();
            silentFrom = clock.NowMs - StepMs;
            Assert.True((await host.SendUsageAsync(host.Report(lease, started, silentFrom, 1))).Accepted);
            await clock.AdvanceAsync(TimeSpan.FromSeconds(5));
            host.Resume();
            silentTo = clock.NowMs;
            await clock.AdvanceAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(silentTo, (await StoredAsync(c, host.HostId)).HeardSince!.Value.ToUnixTimeMilliseconds());
        }

        // Restarted at once: the host's return is within the heard gap of its last heartbeat.
        await using var restarted = await ServiceCoordinator.StartAsync(dataDir: data, clock: clock);
        await using var again = await FakeAgent.ConnectAsync(restarted, "silence-stays", wallet, [Running(lease, started)]);
        await clock.AdvanceAsync(TimeSpan.FromSeconds(2));
        await again.HeartbeatAsync();

        var to = clock.NowMs;
        var ack = await again.SendUsageAsync(again.Report(lease, silentFrom, to, 2));

        Assert.True(ack.Accepted, ack.Reason);
        // The stored period starts at the host's return: the silence before it is not billed, all after it is.
        Assert.Equal(to - silentTo, ack.BilledMs);
    }
}

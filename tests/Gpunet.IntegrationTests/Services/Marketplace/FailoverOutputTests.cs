using Gpunet.Coordinator.Metering;
using Gpunet.IntegrationTests.Cli;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Gpunet.IntegrationTests.Marketplace;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Services.Marketplace;

/// <summary>A lease that moves after its host is lost, on the fake clock: the new host is paid from its first usage report
/// and every line of both attempts is kept, in order, each with its attempt.</summary>
public sealed class FailoverOutputTests
{
    private static readonly string[] EightGpus = [.. Enumerable.Range(0, 8).Select(i => $"GPU-{i}")];

    [Fact]
    public async Task AMovedLease_NewHostIsBilledFromItsFirstReport_AndEveryLineOfBothAttemptsIsKept()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        var first = await c.ReadyHostAsync("first", uuids: EightGpus);
        var wallet = Wallet.Create();
        using var customer = await c.CustomerAsync(wallet);
        var order = await customer.RentAsync(MarketClient.Order("sleep 600", count: 4, restart: "on-host-loss"));
        var (before, startedBefore) = await first.RunNextLeaseAsync();
        Assert.Equal(1, before.Attempt);

        // The first host runs it for 3 s: two usage reports and five lines, all taken.
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.True((await first.SendUsageAsync(first.Report(before, startedBefore, startedBefore + 1_000, 1))).Accepted);
        Assert.True((await first.SendUsageAsync(first.Report(before, startedBefore + 1_000, startedBefore + 2_000, 2))).Accepted);
        await first.SendLinesAsync(before, 1, ["a1", "a2", "a3"]);
        Assert.Equal((1, 3L), Ack(await first.NextLogAckAsync()));
        await first.SendLinesAsync(before, 4, ["a4", "a5"]);
        Assert.Equal((1, 5L), Ack(await first.NextLogAckAsync()));

        // It is lost; the lease moves to the second host as attempt 2, which numbers its reports and lines from 1 again.
        await using var second = await c.ReadyHostAsync("second", country: "FR", uuids: [.. EightGpus.Select(u => u + "-fr")]);
        first.GoSilent();
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(12));
        var (after, startedAfter) = await second.RunNextLeaseAsync();
        Assert.Equal((order.LeaseId, 2), (after.LeaseId, after.Attempt));
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(2));

        var firstReport = await second.SendUsageAsync(second.Report(after, startedAfter, startedAfter + 1_000, 1));
        Assert.True(firstReport.Accepted, firstReport.Reason);
        Assert.Equal(1_000, firstReport.BilledMs);
        await second.SendLinesAsync(after, 1, ["b1", "b2"]);
        Assert.Equal((2, 2L), Ack(await second.NextLogAckAsync()));

        // The lost host's late report and lines of the attempt that is over bill nothing and are not kept (acknowledged,
        // so its agent lets go of them).
        var late = await first.SendUsageAsync(first.Report(before, startedBefore + 2_000, startedBefore + 3_000, 3));
        Assert.Equal("NotThisHostsLease", late.Code);
        await first.SendLinesAsync(before, 6, ["late"]);
        Assert.Equal((1, 6L), Ack(await first.NextLogAckAsync()));

        var usage = await c.App.Services.GetRequiredService<UsageStore>().ForLeaseAsync(order.LeaseId, CancellationToken.None);
        Assert.Equal([(1, 1L, first.HostId), (1, 2L, first.HostId), (2, 1L, second.HostId)], usage.Select(u => (u.Attempt, u.Sequence, u.HostId)));
        Assert.Equal(3_000, usage.Sum(u => u.BilledMs));

        var lines = await customer.LogsAsync(order.LeaseId);
        Assert.Equal(["a1", "a2", "a3", "a4", "a5", "b1", "b2"], lines.Select(l => l.Text));
        Assert.Equal([1, 1, 1, 1, 1, 2, 2], lines.Select(l => l.Attempt));
        Assert.Equal([1L, 2, 3, 4, 5, 1, 2], lines.Select(l => l.Sequence));
        // A reader that has the first attempt's lines asks for what came after them.
        var rest = await customer.LogsAsync(order.LeaseId, "?attempt=1&after=5");
        Assert.Equal(["b1", "b2"], rest.Select(l => l.Text));
        Assert.Equal(["b2"], (await customer.LogsAsync(order.LeaseId, "?attempt=2&after=1")).Select(l => l.Text));

        // gpunet logs says where the lease moved, between the attempts' lines.
        var cli = await LogsCliAsync(c, wallet, order.LeaseId);
        Assert.Equal(["a1", "a2", "a3", "a4", "a5", "b1", "b2"], cli.Stdout.Trim().Split('\n'));
        Assert.Equal($"[gpunet: attempt 2: the lease moved to host {second.HostId}; the lines below are its]", cli.Stderr.Trim());
    }

    [Fact]
    public async Task ALogBatchSentTwice_IsKeptOnce_AndAcknowledgedEachTime()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var host = await c.ReadyHostAsync("twice", uuids: EightGpus);
        var (customer, leaseId, lease, _) = await c.RunOnAsync(host, ServiceCoordinator.OneGpuOn(host.HostId));
        using var _ = customer;

        // The agent did not hear the first acknowledgement (its stream broke) and sends the batch again.
        await host.SendLinesAsync(lease, 1, ["x", "y"]);
        Assert.Equal((1, 2L), Ack(await host.NextLogAckAsync()));
        await host.SendLinesAsync(lease, 1, ["x", "y"]);
        Assert.Equal((1, 2L), Ack(await host.NextLogAckAsync()));

        Assert.Equal(["x", "y"], (await customer.LogsAsync(leaseId)).Select(l => l.Text));
    }

    [Fact]
    public async Task AnAgentThatRestartedBeforeItsStartWasStored_RunsTheLeaseAsANewAttempt_AndKeepsBothRunsLinesAndUsage()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        var first = await c.ReadyHostAsync("restarts", uuids: EightGpus);
        var wallet = Wallet.Create();
        using var customer = await c.CustomerAsync(wallet);
        var order = await customer.RentAsync(MarketClient.Order("sleep 600", count: 4));
        Command command;
        do
            command = await first.NextCommandAsync();
        while (command.StartLease is null);
        var before = command.StartLease;
        Assert.Equal(1, before.Attempt);

        // The workload runs and its first lines are stored, but the agent restarts before its start report is heard: the
        // lease is still Starting, and the new agent process knows nothing of it.
        await first.SendLinesAsync(before, 1, ["a1", "a2"]);
        Assert.Equal((1, 2L), Ack(await first.NextLogAckAsync()));
        await first.DisposeAsync();
        await using var again = await FakeAgent.ConnectAsync(c, "restarts", first.Wallet, uuids: EightGpus);

        // Started again as attempt 2, which numbers its lines and usage from 1: both runs' lines are kept, and the host
        // is paid from the new run's first report.
        var (after, startedAfter) = await again.RunNextLeaseAsync();
        Assert.Equal((order.LeaseId, 2), (after.LeaseId, after.Attempt));
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(2));
        var report = await again.SendUsageAsync(again.Report(after, startedAfter, startedAfter + 1_000, 1));
        Assert.True(report.Accepted, report.Reason);
        Assert.Equal(1_000, report.BilledMs);
        await again.SendLinesAsync(after, 1, ["b1", "b2"]);
        Assert.Equal((2, 2L), Ack(await again.NextLogAckAsync()));

        var lines = await customer.LogsAsync(order.LeaseId);
        Assert.Equal(["a1", "a2", "b1", "b2"], lines.Select(l => l.Text));
        Assert.Equal([1, 1, 2, 2], lines.Select(l => l.Attempt));
        var lease = await customer.LeaseAsync(order.LeaseId);
        Assert.Equal(("Running", 2), (lease!.State, lease.Attempt));

        // gpunet logs says the lease started again on the same host, between the runs' lines.
        var cli = await LogsCliAsync(c, wallet, order.LeaseId);
        Assert.Equal(["a1", "a2", "b1", "b2"], cli.Stdout.Trim().Split('\n'));
        Assert.Equal($"[gpunet: attempt 2: the lease started again on host {again.HostId}; the lines below are its]", cli.Stderr.Trim());
    }

    [Fact]
    public async Task ALeasePlacedWhileItsAgentWasAway_StartsAsItsFirstAttempt_WhenTheAgentComesBack()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        var first = await c.ReadyHostAsync("away", uuids: EightGpus);
        using var customer = await c.CustomerAsync(Wallet.Create());
        var running = await customer.RentAsync(MarketClient.Order("sleep 600", count: 4));
        await first.RunNextLeaseAsync();

        // The agent's stream closes; its host was heard a moment ago, so it is still placeable, but no start can be sent.
        await first.DisposeAsync();
        Assert.True(c.App.Services.GetRequiredService<Gpunet.Coordinator.Hosts.HostRegistry>().TryGet(first.HostId, out var entry));
        await Eventually.Async(() => Task.FromResult<object?>(entry.Connected), connected => !(bool)connected!, "the coordinator saw the stream close");
        var order = await customer.RentAsync(MarketClient.Order("sleep 600", count: 4));
        Assert.True(order.Placed(), order.StateReason);

        // Back, still running the first lease: the second's start is sent now, for the first time, so it is that lease's
        // first attempt (no earlier run's lines or usage can be numbered like it).
        await using var again = await FakeAgent.ConnectAsync(c, "away", first.Wallet,
            leases: [new LeaseReport { LeaseId = running.LeaseId, Phase = LeaseReport.Types.Phase.Running }], uuids: EightGpus);
        var (start, _) = await again.RunNextLeaseAsync();
        Assert.Equal((order.LeaseId, 1), (start.LeaseId, start.Attempt));
        var lease = await customer.LeaseAsync(order.LeaseId);
        Assert.Equal(("Running", 1), (lease!.State, lease.Attempt));
    }

    // gpunet logs LEASE as the customer, which must succeed.
    private static async Task<GpunetProcess.Result> LogsCliAsync(TestCoordinator c, Wallet wallet, string leaseId)
    {
        var home = Directory.CreateTempSubdirectory("gpunet-home-").FullName;
        var key = Path.Combine(home, "customer.key");
        await File.WriteAllTextAsync(key, wallet.PrivateKeyHex);
        var cli = await GpunetProcess.RunAsync(home, null, "logs", leaseId, "--coordinator", c.ApiUrl, "--key", key);
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        return cli;
    }

    private static (int Attempt, long LastSequence) Ack(Protocol.LogAck ack) => (ack.Attempt, ack.LastSequence);
}

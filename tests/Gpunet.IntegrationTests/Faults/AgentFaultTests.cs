using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Cli;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Faults;

/// <summary>Real agent processes killed (SIGKILL) or frozen (SIGSTOP, then SIGCONT) under a lease: the lease moves when
/// the host is dead and only then, the host it moved to is paid from its first report, no line of either attempt is
/// lost, a host frozen for less than the offline grace loses nothing and is not slashed, and one frozen for longer is
/// slashed and neither paid for nor trusted with the lease it lost.</summary>
[LongRunning]
public sealed class AgentFaultTests
{
    // Thirty numbered lines over about three seconds; the marker finds the workload's processes under an agent.
    private const string Marker = "fault-line";
    private const string ThirtyLines = $"i=0; while [ $i -lt 30 ]; do echo \"{Marker} $i\"; i=$((i+1)); sleep 0.1; done";
    private const string ThirtyLinesThenWait = ThirtyLines + "; exec sleep 600";
    private const string Forever = $"i=0; while true; do echo \"{Marker} $i\"; i=$((i+1)); sleep 0.2; done";

    [Fact]
    public async Task AnAgentKilledUnderARestartableLease_TheLeaseRunsAgainOnAnotherHost_BilledFromItsFirstReport_NoLineLost()
    {
        // The default StreamLossFailoverAfter is 10 s (measured separately); 1 s here keeps the test short.
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Market.StreamLossFailoverAfter = TimeSpan.FromSeconds(1));
        var (first, firstHost) = await AgentProcess.StartReadyAsync(c, "dies");
        await using var _ = first;
        using var customer = await c.CustomerAsync(Wallet.Create());
        // It waits after its lines, so that it is still running on the first host however slowly the second one starts.
        var lease = (await customer.RentAsync(MarketClient.Order(ThirtyLinesThenWait, restart: "on-host-loss"))).LeaseId;
        await Eventually.Async(async () => (List<LogLineView>?)await customer.LogsAsync(lease), lines => lines.Count > 0, "the first lines of attempt 1");
        var (second, secondHost) = await AgentProcess.StartReadyAsync(c, "takes-over", country: "FR");
        await using var __ = second;

        await first.KillAsync();

        var moved = await customer.WaitForLeaseAsync(lease, l => l.Attempt == 2 && l.State is "Running" or "Succeeded", "to run again");
        Assert.Equal(secondHost, moved.HostId);
        await Eventually.Async(async () => (List<LogLineView>?)await customer.LogsAsync(lease), lines => lines.Count(l => l.Attempt == 2) >= 30, "attempt 2's lines");
        using (var cancel = await customer.PostAsync($"/api/v1/leases/{lease}/cancel", null))
            Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync());
        var done = await customer.WaitForStateAsync(lease, "Cancelled");
        Assert.Equal((secondHost, 2), (done.HostId, done.Attempt));

        // Every line the new host's workload wrote is kept, in order; the dead host's lines stored before it died are a
        // prefix of its run, in order.
        var lines = await customer.LogsAsync(lease);
        Assert.Equal(Numbered(30), lines.Where(l => l.Attempt == 2).Select(l => l.Text));
        var before = lines.Where(l => l.Attempt == 1).Select(l => l.Text).ToList();
        Assert.NotEmpty(before);
        Assert.Equal(Numbered(before.Count), before);

        // The new host is paid from its first report (the tail sent when it stopped the workload: attempt 2, sequence 1).
        var paid = Assert.Single(await Eventually.Async(async () => (List<LeaseUsageRecord>?)await UsageAsync(c, lease), u => u.Count > 0, "the usage report"));
        Assert.Equal((2, 1L, secondHost), (paid.Attempt, paid.Sequence, paid.HostId));
        Assert.True(paid.BilledMs > 0, $"billed {paid.BilledMs} ms of {paid.ReportedMs}");

        // `gpunet logs` shows both attempts' lines, and where the lease moved between them.
        var cli = await GpunetProcess.RunAsync(TestCoordinator.NewDataDir(), new Dictionary<string, string> { ["GPUNET_ADMIN_TOKEN"] = c.AdminToken },
            "logs", lease, "--coordinator", c.ApiUrl);
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        Assert.Equal([.. before, .. Numbered(30)], cli.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"attempt 2: the lease moved to host {secondHost}", cli.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(firstHost, secondHost);
    }

    [Fact]
    public async Task AnAgentFrozenForLessThanTheGrace_KeepsItsLease_IsBilled_AndIsNotSlashed()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Hosts.OfflineGracePeriod = TimeSpan.FromSeconds(4));
        var (agent, host) = await AgentProcess.StartReadyAsync(c, "stalls");
        await using var _ = agent;
        using var customer = await c.CustomerAsync(Wallet.Create());
        var lease = (await customer.RentAsync(MarketClient.Order(ThirtyLines, restart: "on-host-loss"))).LeaseId;
        await Eventually.Async(async () => (List<LogLineView>?)await customer.LogsAsync(lease), lines => lines.Count > 0, "the first lines");

        // A stall of 1.5 s (a long GC pause, a swapped-out process): longer than the Suspect window (1 s), well inside
        // the offline grace (4 s). The fault's length is the test's input, not a wait for a rule.
        agent.Freeze();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        agent.Thaw();

        var done = await customer.WaitForStateAsync(lease, "Succeeded");
        Assert.Equal((host, 1), (done.HostId, done.Attempt));
        Assert.Equal(Numbered(30), (await customer.LogsAsync(lease)).Select(l => l.Text));
        var paid = Assert.Single(await Eventually.Async(async () => (List<LeaseUsageRecord>?)await UsageAsync(c, lease), u => u.Count > 0, "the usage report"));
        Assert.True(paid.BilledMs > 0, $"billed {paid.BilledMs} ms of {paid.ReportedMs}");
        Assert.DoesNotContain(await c.TransitionsAsync(host), t => t.To == "Offline");
        Assert.Empty(await SlashesAsync(c));
    }

    [Fact]
    public async Task AnAgentFrozenForMoreThanTheGrace_LosesItsLeaseToAnotherHost_IsSlashed_AndItsStaleOutputIsRefused()
    {
        // The offline grace is TestCoordinator's 2.5 s; failover on a closed stream is out of the way (a frozen agent's
        // stream stays open).
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Market.StreamLossFailoverAfter = TimeSpan.FromMinutes(10));
        var (frozen, frozenHost) = await AgentProcess.StartReadyAsync(c, "freezes");
        await using var _ = frozen;
        using var customer = await c.CustomerAsync(Wallet.Create());
        var lease = (await customer.RentAsync(MarketClient.Order(Forever, restart: "on-host-loss"))).LeaseId;
        await Eventually.Async(async () => (List<LogLineView>?)await customer.LogsAsync(lease), lines => lines.Count > 0, "the first lines");
        var (other, otherHost) = await AgentProcess.StartReadyAsync(c, "takes-over", country: "FR");
        await using var __ = other;

        frozen.Freeze();
        await c.WaitForStateAsync(frozenHost, "Offline");
        var moved = await customer.WaitForLeaseAsync(lease, l => l.Attempt == 2 && l.State == "Running", "to run on the other host");
        Assert.Equal(otherHost, moved.HostId);
        var slash = await Eventually.Async(async () => (List<SlashEventRecord>?)await SlashesAsync(c), s => s.Count > 0, "the downtime slash");
        Assert.Equal(("downtime", frozenHost), (Assert.Single(slash).Kind, slash[0].HostId));
        var staleLines = (await customer.LogsAsync(lease)).Count(l => l.Attempt == 1);

        // It thaws, with the lines its workload wrote meanwhile and the lease still running: the lease is stopped there
        // (it runs once, on the other host), and what it sends for the attempt that is over is refused.
        frozen.Thaw();
        try
        {
            await Eventually.Async(() => Task.FromResult<int?>(frozen.WorkloadsRunning(Marker)), n => n == 0, "the thawed agent to stop its copy of the lease");
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\nhost: {await c.HostAsync(frozenHost)}\nagent: {frozen.Output}");
        }

        Assert.NotEqual(0, other.WorkloadsRunning(Marker));
        var heard = (await c.HostAsync(frozenHost))!.Heartbeats;
        await Eventually.Async(() => c.HostAsync(frozenHost), h => h.Heartbeats > heard + 3, "the thawed agent to be heard after its last report");

        Assert.Equal(staleLines, (await customer.LogsAsync(lease)).Count(l => l.Attempt == 1));
        Assert.DoesNotContain(await UsageAsync(c, lease), u => u.Attempt == 1);
        var now = (await customer.LeaseAsync(lease))!;
        Assert.Equal((otherHost, 2, "Running"), (now.HostId, now.Attempt, now.State));
        Assert.Single(await SlashesAsync(c));
    }

    private static List<string> Numbered(int count) => [.. Enumerable.Range(0, count).Select(i => $"{Marker} {i}")];

    private static async Task<List<LeaseUsageRecord>> UsageAsync(TestCoordinator c, string leaseId)
    {
        await using var db = await c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync();
        return await db.LeaseUsage.AsNoTracking().Where(u => u.LeaseId == leaseId).OrderBy(u => u.Attempt).ThenBy(u => u.Sequence).ToListAsync();
    }

    private static async Task<List<SlashEventRecord>> SlashesAsync(TestCoordinator c)
    {
        await using var db = await c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync();
        return await db.SlashEvents.AsNoTracking().ToListAsync();
    }
}

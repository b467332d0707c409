using Gpunet.Coordinator.Marketplace;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Services.Metering;

/// <summary>A usage report sent right after its lease's RUNNING report is checked after that report is applied, also
/// when the market's loop is behind: a short workload's host is paid, not refused as "not started".</summary>
public sealed class UsageBehindTheMarketTests
{
    private static readonly long StepMs = (long)SteppedClock.Step.TotalMilliseconds;

    [Fact]
    public async Task AUsageReportRightAfterItsRunningReport_IsBilled_WhileTheMarketLoopIsHeldUp()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var host = await c.ReadyHostAsync("market-behind");
        using var customer = await c.CustomerAsync(Wallet.Create());
        var order = await customer.RentAsync(ServiceCoordinator.OneGpuOn(host.HostId));
        Command command;
        do
            command = await host.NextCommandAsync();
        while (command.StartLease is null);
        // The workload started at once; the host is heard for two steps after.
        var started = c.Clock().NowMs;
        await c.Clock().AdvanceAsync(2 * SteppedClock.Step);

        // The market's loop is held up (a slow store, a burst of work): the RUNNING report waits in its queue, and the
        // first second's usage is sent right behind it.
        var release = new TaskCompletionSource();
        var holding = c.App.Services.GetRequiredService<Market>().RunAsync(async () =>
        {
            await release.Task;
            return true;
        });
        await host.SendReportAsync(new LeaseReport { LeaseId = command.StartLease.LeaseId, Phase = LeaseReport.Types.Phase.Running, AtUnixMs = started });
        var answer = host.SendUsageAsync(host.Report(command.StartLease, started, started + StepMs, 1));
        Assert.Equal("Starting", (await customer.LeaseAsync(order.LeaseId))!.State);
        release.SetResult();
        await holding;
        var ack = await answer;

        Assert.True(ack.Accepted, $"{ack.Code}: {ack.Reason}");
        Assert.Equal(StepMs, ack.BilledMs);
        Assert.Equal("Running", (await customer.LeaseAsync(order.LeaseId))!.State);
    }
}

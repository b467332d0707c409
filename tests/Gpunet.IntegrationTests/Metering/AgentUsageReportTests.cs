using Gpunet.Coordinator.Metering;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Metering;

/// <summary>A real agent process reports a running lease's usage every interval, back to back (the billing rules
/// themselves are tested on the fake clock, in Services/Metering).</summary>
public sealed class AgentUsageReportTests
{
    private static Task<List<LeaseUsageRecord>> RowsAsync(TestCoordinator c, string leaseId) =>
        c.App.Services.GetRequiredService<UsageStore>().ForLeaseAsync(leaseId, CancellationToken.None);

    [Fact]
    public async Task ARunningLease_IsReportedEverySecond_BackToBack_FromItsStartToItsEnd()
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
        Assert.True(rows.Count >= 2, $"{rows.Count} reports: one a second, and the tail at the end");
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

        // Billed for running time, never more than reported (how much of it was heard is the service tier's to test:
        // a real process on a loaded machine can miss a heartbeat).
        Assert.True(rows.Sum(r => r.BilledMs) > 0, "some running time billed");

        var metrics = await c.Anonymous.GetStringAsync("/metrics");
        Assert.Contains("gpunet_usage_reports_total{outcome=\"accepted\"}", metrics, StringComparison.Ordinal);
    }
}

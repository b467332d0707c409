using Gpunet.Core.Verification;
using Gpunet.IntegrationTests.Services;
using Gpunet.IntegrationTests.Services.Ledger;
using Gpunet.IntegrationTests.Services.Verification;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Observability;

/// <summary>What an operator's dashboard reads from <c>/metrics</c> after a check and a settlement: the ledger, settlement,
/// compliance and check metrics beside the host and lease ones.</summary>
public sealed class ModuleMetricsTests
{
    [Fact]
    public async Task Metrics_AfterAFailedCapacityCheckAndASettledEpoch_CountTheCheckTheSettlementAndTheLedger()
    {
        await using var c = await CheckFlowTests.StartAsync(o =>
        {
            o.Ledger.EpochLength = Settlement.EpochLength;
            o.Ledger.SettlementDelay = SteppedClock.Step;
        });
        var checkers = await CheckFlowTests.CheckersAsync(c, 3);
        await using var host = await FakeAgent.ConnectAsync(c, "metered", probeEndpoint: "http://127.0.0.1:9");
        await c.Clock().AdvanceAsync(2 * SteppedClock.Step);
        var assigned = await CheckFlowTests.AssignedAsync(checkers, CheckKind.Capacity);
        foreach (var (k, a) in assigned)
            Assert.True((await k.SendAsync(k.Report(a, passed: false, reason: "GPU 0: opened row 17 is wrong"))).Accepted);
        await c.Clock().AdvanceAsync(SteppedClock.Step);
        await Settlement.SettleEpochAfterAsync(c, TimeSpan.Zero);

        var text = await Eventually.Async(() => c.Anonymous.GetStringAsync("/metrics")!,
            t => t.Contains("gpunet_epochs_settled_total 1", StringComparison.Ordinal), "a settled epoch in the metrics");
        foreach (var line in new[]
        {
            "gpunet_checks_total{kind=\"capacity\",outcome=\"failed\"} 1",
            "gpunet_check_reports_total{outcome=\"accepted\"} 3",
            "gpunet_hosts_held_by_checks 1",
            "gpunet_settlement_phase_seconds_count{phase=\"write\"} 1",
            "gpunet_compliance_decisions_total{rule=\"capacity-check\",outcome=\"",
            "gpunet_ledger_transfers_total{result=\"Ok\"}",
            "gpunet_settlement_tokens_total{kind=\"emission\"}",
            "gpunet_probe_refusals_total{attribution=\"over_cap\"} 0",
        })
        {
            Assert.Contains(line, text, StringComparison.Ordinal);
        }

        // The dashboard queries only metrics a coordinator exports.
        Assert.All(Dashboard.Metrics(Dashboard.Read()), name => Assert.Contains($"# TYPE {name} ", text, StringComparison.Ordinal));

        foreach (var k in checkers)
            await k.DisposeAsync();
    }
}

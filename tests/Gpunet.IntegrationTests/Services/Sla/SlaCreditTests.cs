using System.Net.Http.Json;
using Gpunet.Contracts.Sla;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using static Gpunet.IntegrationTests.Services.Ledger.Settlement;

namespace Gpunet.IntegrationTests.Services.Sla;

/// <summary>A tiered lease whose host is lost: it fails over, the downtime is measured, and the next settlement credits
/// the customer from the lost host's rewards and stake without a claim, on the fake clock with 10-second epochs.</summary>
public sealed class SlaCreditTests
{
    private static object TieredOrder(string tier) => new
    {
        gpu = new[] { "H100" }, count = 1, maxPrice = 3, restart = "on-host-loss", slaTier = tier, command = new[] { "sleep", "600" },
    };

    [Fact]
    public async Task AHostLostUnderATieredLease_FailsOver_AndTheCustomerIsCreditedAtSettlement()
    {
        await using var c = await StartAsync();
        var (first, firstOperator) = await StakedHostAsync(c, "sla-first", funds: 2_000, "GPU-A");
        using var _ = firstOperator;
        var customer = await c.CustomerAsync(Wallet.Create(), 1_000);
        using var __ = customer;
        var placed = await customer.RentAsync(TieredOrder("enterprise"));
        var (lease, started) = await first.RunNextLeaseAsync();
        var leaseId = placed.LeaseId;

        // 9 s metered on the first host, then it goes silent and is lost; the lease moves to the second.
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(9));
        await first.HeartbeatAsync();
        Assert.True((await first.SendUsageAsync(first.Report(lease, started, c.Clock().NowMs, 1))).Accepted);
        var (second, secondOperator) = await StakedHostAsync(c, "sla-second", funds: 2_000, "GPU-B");
        using var ___ = secondOperator;
        await using var ____ = second;
        await first.DisposeAsync();
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(12));
        var (moved, movedAt) = await second.RunNextLeaseAsync();
        Assert.Equal(leaseId, moved.LeaseId);
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(3));
        await second.HeartbeatAsync();
        Assert.True((await second.SendUsageAsync(second.Report(moved, movedAt, c.Clock().NowMs, 1))).Accepted);
        await SettleEpochAfterAsync(c, TimeSpan.Zero);

        var view = (await customer.LeaseAsync(leaseId))!;
        Assert.Equal("enterprise", view.SlaTier);
        Assert.NotNull(view.Credited);
        var credited = TokenAmount.Parse(view.Credited!);
        Assert.True(credited > TokenAmount.Zero);
        var history = (await customer.GetFromJsonAsync<List<HistoryView>>("/api/v1/wallet/history", TestCoordinator.Json))!;
        var credits = history.Where(h => h.Code == "sla-credit").ToList();
        Assert.NotEmpty(credits);
        Assert.All(credits, h => Assert.Contains($"SLA credit for {leaseId}: enterprise: availability", h.Reason, StringComparison.Ordinal));
        Assert.Equal(credited, credits.Aggregate(TokenAmount.Zero, (sum, h) => sum + TokenAmount.Parse(h.Amount)));
        // Never more than the lease was charged: 12 s of one H100 at 2 USD/h and 0.10 USD a token.
        Assert.True(credited <= TokenAmount.FromBaseUnits((long)decimal.Ceiling(12m * 2 / 3600 / 0.10m * 100_000_000m)));
        Assert.Equal(credited, Sum(await EpochsAsync(c), t => t.SlaCredits));
        await AssertBalancedAsync(c);

        // The customer's report shows the same: the host lost, the wait for the new host, and the credit.
        var report = (await customer.GetFromJsonAsync<SlaReportView>($"/api/v1/sla/report?lease={leaseId}", TestCoordinator.Json))!;
        Assert.Equal("enterprise", report.Tier);
        Assert.False(report.Met);
        Assert.True(report.DowntimeSeconds > 0);
        Assert.Contains(report.Windows, w => w.Cause == "host-lost" && w.HostId == first.HostId && w.CountsAgainstCustomer);
        // The start on the new host is downtime too, put on the lost host that caused it; that host owes every credit.
        Assert.Contains(report.Windows, w => w.Cause == "host-lost" && w.HostId == first.HostId && w.Detail == $"starting again on {second.HostId}");
        Assert.All(report.Credits, k => Assert.Equal(first.HostId, k.HostId));
        Assert.True(report.Windows.Zip(report.Windows.Skip(1)).All(p => p.First.End <= p.Second.Start));
        Assert.Equal(credited, TokenAmount.Parse(report.CreditedTotal));
        Assert.Contains(report.Credits, k => k.LeaseId == leaseId);
    }

    [Fact]
    public async Task AnUntroubledTieredLease_IsNotCredited()
    {
        await using var c = await StartAsync();
        var (host, hostOperator) = await StakedHostAsync(c, "sla-steady", funds: 2_000, "GPU-C");
        using var _ = hostOperator;
        await using var __ = host;
        var customer = await c.CustomerAsync(Wallet.Create(), 1_000);
        using var ___ = customer;
        var placed = await customer.RentAsync(TieredOrder("enterprise"));
        var (lease, started) = await host.RunNextLeaseAsync();

        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(9));
        await host.HeartbeatAsync();
        Assert.True((await host.SendUsageAsync(host.Report(lease, started, c.Clock().NowMs, 1))).Accepted);
        await SettleEpochAfterAsync(c, TimeSpan.Zero);

        Assert.Null((await customer.LeaseAsync(placed.LeaseId))!.Credited);
        Assert.Equal(TokenAmount.Zero, Sum(await EpochsAsync(c), t => t.SlaCredits));
    }
}

using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Services.Sla;

/// <summary>A tiered order is placed only on hosts whose track record qualifies for its tier, and waits with the tier
/// and the shortfall named while none does; a standard order (no requirements) still goes anywhere.</summary>
public sealed class SlaQualificationTests
{
    [Fact]
    public async Task EnterpriseOrder_OnlyAnUnqualifiedHost_WaitsNamingTheTier_ThenAQualifiedHostTakesIt_WhileStandardStillUsesTheFirst()
    {
        await using var c = await ServiceCoordinator.StartAsync(o => o.Market.TrackRecordInterval = SteppedClock.Step);
        await using var weak = await c.ReadyHostAsync("sla-weak");
        // 49 of 50 liveness checks passed: 98 % uptime, below enterprise's 99.9 %, no requirement for standard.
        await AddLivenessChecksAsync(c, weak, passed: 49, failed: 1);
        await c.Clock().AdvanceAsync(SteppedClock.Step);

        using var customer = await c.CustomerAsync(Wallet.Create());
        var enterprise = await customer.RentAsync(Order("enterprise"));
        Assert.False(enterprise.Placed());
        var waiting = (await customer.LeaseAsync(enterprise.LeaseId))!;
        Assert.Equal("Pending", waiting.State);
        Assert.Equal("enterprise", waiting.SlaTier);
        Assert.Contains("not qualified for enterprise: uptime 98.00 % < 99.90 %", waiting.StateReason, StringComparison.Ordinal);

        var standard = await customer.RentAsync(Order("standard"));
        Assert.True(standard.Placed(), standard.StateReason);
        Assert.Equal(weak.HostId, Assert.Single(standard.Leases).HostId);
        Assert.Equal("Pending", (await customer.LeaseAsync(enterprise.LeaseId))!.State);

        // A host with a clean record joins: once Ready, the waiting order is placed there.
        await using var strong = await FakeAgent.ConnectAsync(c, "sla-strong");
        await AddLivenessChecksAsync(c, strong, passed: 50, failed: 0);
        await c.Clock().AdvanceAsync(2 * SteppedClock.Step);
        Assert.Equal("Ready", (await c.HostAsync(strong.HostId))!.State);
        // The market retries the queue as hosts and their records change: a few steps at most.
        var placed = (await customer.LeaseAsync(enterprise.LeaseId))!;
        for (var step = 0; step < 10 && placed.HostId is null; step++)
        {
            await c.Clock().AdvanceAsync(SteppedClock.Step);
            placed = (await customer.LeaseAsync(enterprise.LeaseId))!;
        }

        Assert.Equal(strong.HostId, placed.HostId);
        Assert.NotEqual("Pending", placed.State);
    }

    private static object Order(string tier) =>
        new { gpu = new[] { "H100" }, count = 1, maxPrice = 3, slaTier = tier, command = new[] { "sleep", "60" } };

    private static async Task AddLivenessChecksAsync(TestCoordinator c, FakeAgent host, int passed, int failed)
    {
        await using var db = await c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync();
        var now = c.Clock().GetUtcNow();
        db.Checks.AddRange(Enumerable.Range(0, passed + failed).Select(i => new CheckRecord
        {
            Id = $"chk_{host.HostId[5..]}{i:D12}", HostId = host.HostId, HostOperator = host.Wallet.Address.Value, Kind = CheckKind.Liveness,
            IssuedAt = now, Deadline = now, Checkers = "", Outcome = i < passed ? "passed" : "failed", DecidedAt = now,
        }));
        await db.SaveChangesAsync();
    }
}

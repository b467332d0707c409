using System.Net;
using System.Net.Http.Json;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Gpunet.IntegrationTests.Services.Ledger.Settlement;

namespace Gpunet.IntegrationTests.Services.Ledger;

/// <summary>Epochs settle what was metered, on the fake clock: the host earns 80 % into vesting, the treasury 20 %, the
/// customer's hold is released, capacity rewards reach staked hosts, and the ledger still balances. Hosts run on FakeAgent
/// at 2 USD per GPU-hour and tokens cost 0.10 USD, so a second of one H100 costs 1/180 token and charges are exact.</summary>
public sealed class SettlementTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    /// <summary>Runs the lease for <paramref name="seconds"/> (whole multiples of <paramref name="perReport"/>), the host
    /// reporting its usage every <paramref name="perReport"/> seconds, each report heard throughout and so billed whole.</summary>
    private static async Task RunAndReportAsync(TestCoordinator c, FakeAgent host, Gpunet.Protocol.StartLease lease, long started, int seconds, int perReport)
    {
        var from = started;
        for (var sequence = 1; sequence <= seconds / perReport; sequence++)
        {
            await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(perReport));
            await host.HeartbeatAsync();
            var ack = await host.SendUsageAsync(host.Report(lease, from, c.Clock().NowMs, sequence));
            Assert.True(ack.Accepted, ack.Reason);
            Assert.Equal(perReport * 1_000, ack.BilledMs);
            from = c.Clock().NowMs;
        }
    }

    /// <summary>After a lease ended now: steps past the settlement that closes it (its usage is taken for 3 steps more).</summary>
    private static Task SettleClosingAsync(TestCoordinator c) => SettleEpochAfterAsync(c, 4 * SteppedClock.Step);

    [Fact]
    public async Task AnOnDemandLease_IsChargedExactlyForWhatRan_AndTheHostEarns()
    {
        await using var c = await StartAsync();
        var (host, operatorHttp) = await StakedHostAsync(c, "on-demand");
        await using var _ = host;
        using var __ = operatorHttp;
        var (customer, leaseId, lease, started) = await c.RunOnAsync(host, ServiceCoordinator.OneGpuOn(host.HostId), funds: 1_000);
        using var ___ = customer;
        Assert.NotEqual("0", (await WalletAsync(customer)).Held);

        // 18 s metered in two reports, likely in two epochs: 18 × 2 / 3600 / 0.10 = 0.1 token, 9 s (0.05) at a time.
        await RunAndReportAsync(c, host, lease, started, seconds: 18, perReport: 9);
        await host.ReportAsync(leaseId, Gpunet.Protocol.LeaseReport.Types.Phase.Exited, exitCode: 0);
        Assert.Equal("Succeeded", (await customer.LeaseAsync(leaseId))!.State);
        await SettleClosingAsync(c);

        var epochs = await EpochsAsync(c);
        Assert.Equal(TokenAmount.FromTokens(0.1m), Sum(epochs, t => t.Fees));
        // One lease: each epoch's protocol fee is 20 % of its fees (rounded down), the host's 80 % the rest.
        foreach (var e in epochs)
        {
            Assert.Equal(TokenAmount.FromBaseUnits(e.Totals.Fees.BaseUnits / 5), e.Totals.ProtocolFees);
            Assert.Equal(e.Totals.Fees - e.Totals.ProtocolFees, e.Totals.HostFees);
        }

        // The hold is released and exactly what ran is charged.
        var after = await WalletAsync(customer);
        Assert.Equal("0", after.Held);
        Assert.Equal(TokenAmount.FromTokens(999.9m), TokenAmount.Parse(after.Available));
        var operatorWallet = await WalletAsync(operatorHttp);
        Assert.True(TokenAmount.Parse(operatorWallet.Vesting) + TokenAmount.Parse(operatorWallet.Available) > TokenAmount.FromTokens(4_000) + Sum(epochs, t => t.HostFees),
            "the host earned its fees and capacity rewards on top of its 4,000 unstaked tokens");
        await AssertBalancedAsync(c);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task UsageSplitOverEpochs_IsChargedItsWholeSeconds_TheLeftoverMillisecondsCarried(string provider)
    {
        await using var c = await StartAsync(db: await TestStores.NewStoreAsync(provider, TestCoordinator.NewDataDir()));
        await using var host = await c.ReadyHostAsync("carry");
        var (customer, leaseId, lease, started) = await c.RunOnAsync(host, ServiceCoordinator.OneGpuOn(host.HostId), funds: 1_000);
        using var _ = customer;

        // 9.6 s, 8.4 s and 0.7 s reported in three epochs: 18.7 s in all. Whole seconds of what each epoch adds to what
        // the last one carried: 9 (0.6 s carried), 9 (none), 0 (0.7 s carried, never charged) = 18 s, 0.1 token at
        // 2 USD/h; dropping each epoch's leftover would charge 17.
        await ReportAsync(c, host, lease, 1, (started, started + 9_600, 9_600));
        await ReportAsync(c, host, lease, 2, (started + 9_600, started + 18_000, 8_400));
        await ReportAsync(c, host, lease, 3, (started + 18_000, started + 18_700, 700));
        await host.ReportAsync(leaseId, Gpunet.Protocol.LeaseReport.Types.Phase.Exited, exitCode: 0);
        await SettleClosingAsync(c);

        var epochs = await EpochsAsync(c);
        Assert.Equal(TokenAmount.FromTokens(0.1m), Sum(epochs, t => t.Fees));
        var after = await WalletAsync(customer);
        Assert.Equal("0", after.Held);
        Assert.Equal(TokenAmount.FromTokens(999.9m), TokenAmount.Parse(after.Available));
        await AssertBalancedAsync(c);
    }

    /// <summary>Steps the clock one epoch length (so these reports land in a later epoch than the last ones) and sends
    /// reports of <paramref name="periods"/> (Unix ms) numbered from <paramref name="sequence"/>, each heard throughout
    /// and billed what it expects.</summary>
    private static async Task ReportAsync(TestCoordinator c, FakeAgent host, Gpunet.Protocol.StartLease lease, long sequence, params (long From, long To, long BilledMs)[] periods)
    {
        await c.Clock().AdvanceAsync(EpochLength);
        await host.HeartbeatAsync();
        foreach (var (from, to, billed) in periods)
        {
            var ack = await host.SendUsageAsync(host.Report(lease, from, to, sequence++));
            Assert.True(ack.Accepted, ack.Reason);
            Assert.Equal(billed, ack.BilledMs);
        }
    }

    [Fact]
    public async Task AnOrderThatExpiresUnplaced_ReturnsItsHoldAtOnce_AndTheNextSettlementLeavesItAlone()
    {
        await using var c = await StartAsync();
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 1_000);

        // No host: one H100 at most 3 USD/h for 24 h at 0.10 USD/token holds 720 tokens, queued for 30 s (settlements
        // renew the hold meanwhile).
        var order = await customer.RentAsync(MarketClient.Order("true", queueMinutes: 0.5));
        Assert.Equal("Pending", order.State);
        Assert.Equal(("280", "720"), ((await WalletAsync(customer)).Available, (await WalletAsync(customer)).Held));
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(30) + SteppedClock.Step);
        Assert.Equal("queue-timeout", (await customer.LeaseAsync(order.LeaseId))!.EndReason);

        // Right after the expiry, before any settlement: the hold is back.
        var expired = await WalletAsync(customer);
        Assert.Equal(("1000", "0"), (expired.Available, expired.Held));
        var history = await HistoryAsync(customer);

        await SettleClosingAsync(c);
        Assert.NotEmpty(await EpochsAsync(c));
        var settled = await WalletAsync(customer);
        Assert.Equal(("1000", "0"), (settled.Available, settled.Held));
        Assert.Equal(history, await HistoryAsync(customer)); // no transfer of the customer's since
        await AssertBalancedAsync(c);
    }

    [Fact]
    public async Task ACoordinatorStoppedBetweenAnUnplacedLeasesEndAndItsRelease_ReturnsTheHoldWhenItStartsAgain()
    {
        var data = TestCoordinator.NewDataDir();
        var clock = new SteppedClock();
        var wallet = Wallet.Create();
        string leaseId;
        await using (var c = await ServiceCoordinator.StartAsync(dataDir: data, clock: clock))
        {
            using var customer = await c.CustomerAsync(wallet, funds: 1_000);
            leaseId = (await customer.RentAsync(MarketClient.Order("true"))).LeaseId;
            Assert.Equal("720", (await WalletAsync(customer)).Held);

            // The lease's end is stored, and the coordinator stops before it gives the hold back.
            await using var db = await c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync();
            await db.Leases.Where(l => l.Id == leaseId).ExecuteUpdateAsync(s => s
                .SetProperty(l => l.State, "Expired").SetProperty(l => l.EndReason, "queue-timeout").SetProperty(l => l.EndedAt, clock.GetUtcNow()));
        }

        await using var restarted = await ServiceCoordinator.StartAsync(dataDir: data, clock: clock);
        using var again = await restarted.CustomerAsync(wallet, funds: 0);
        var back = await WalletAsync(again);
        Assert.Equal(("1000", "0"), (back.Available, back.Held));
        await AssertBalancedAsync(restarted);
    }

    private static async Task<string> HistoryAsync(HttpClient http) => await http.GetStringAsync("/api/v1/wallet/history");

    [Fact]
    public async Task AHostThatGoesOfflineWhileServing_IsSlashedAThirdOfItsStake_AndPausedUntilItTopsUp()
    {
        await using var c = await StartAsync(requireStake: true);
        var (host, operatorHttp) = await StakedHostAsync(c, "dies", funds: 1_000);
        using var _ = operatorHttp;
        var (customer, leaseId, _, _) = await c.RunOnAsync(host, ServiceCoordinator.OneGpuOn(host.HostId), funds: 1_000);
        using var __ = customer;

        // The host dies while serving: Offline 10 s after it was last heard, the lease ends host-lost, and the next
        // settlement slashes 1000 / 3 tokens.
        await host.DisposeAsync();
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(12));
        Assert.Equal("HostLost", (await customer.LeaseAsync(leaseId))!.State);
        await SettleEpochAfterAsync(c, TimeSpan.Zero);

        Assert.Equal(TokenAmount.FromBaseUnits(TokenAmount.FromTokens(1000).BaseUnits / 3), Sum(await EpochsAsync(c), t => t.Slashed));
        // Rewards were taken first; whatever vesting did not cover came out of the stake, which is now short.
        var wallet = await WalletAsync(operatorHttp);
        var left = TokenAmount.Parse(wallet.Hosts.Single().Staked);
        Assert.True(left < TokenAmount.FromTokens(1000), $"stake left {left}");
        Assert.False(wallet.Hosts.Single().FullyStaked);
        await AssertBalancedAsync(c);
    }

    [Fact]
    public async Task AnOnDemandLease_WhoseCustomerCannotCoverTheNextHold_EndsFundsExhausted_AndPaysOnlyWhatRan()
    {
        await using var c = await StartAsync();
        await using var host = await c.ReadyHostAsync("exhausted");
        // One H100 at most 3 USD/h for 24 h at 0.10 USD/token: the first hold takes all 720 tokens.
        var (customer, leaseId, lease, started) = await c.RunOnAsync(host, ServiceCoordinator.OneGpuOn(host.HostId), funds: 720);
        using var _ = customer;
        Assert.Equal("0", (await WalletAsync(customer)).Available);

        // 9 s metered (0.05 token at 2 USD/h): the next 24-hour hold (720 at most) no longer fits in 719.95.
        await RunAndReportAsync(c, host, lease, started, seconds: 9, perReport: 9);
        await SettleEpochAfterAsync(c, TimeSpan.Zero);
        var ended = (await customer.LeaseAsync(leaseId))!;
        Assert.Equal("funds-exhausted", ended.EndReason);
        Assert.Equal("Expired", ended.State);

        await SettleClosingAsync(c);
        var after = await WalletAsync(customer);
        Assert.Equal("0", after.Held);
        Assert.Equal(TokenAmount.FromTokens(719.95m), TokenAmount.Parse(after.Available));
        await AssertBalancedAsync(c);
    }

    [Fact]
    public async Task ADeceitRecordedByTheOperator_CostsTheWholeRequiredStake()
    {
        await using var c = await StartAsync();
        var (host, operatorHttp) = await StakedHostAsync(c, "deceit", funds: 2_000, "GPU-deceit-0", "GPU-deceit-1");
        await using var _ = host;
        using var __ = operatorHttp;

        // Only the operator records slashes, and a bad kind is refused.
        Assert.Equal(HttpStatusCode.Forbidden,
            (await operatorHttp.PostAsJsonAsync($"/api/v1/hosts/{host.HostId}/slashes", new { kind = "deceit", reason = "claimed H100s, delivered less" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await c.Admin.PostAsJsonAsync($"/api/v1/hosts/{host.HostId}/slashes", new { kind = "whim", reason = "x" })).StatusCode);
        using var slash = await c.Admin.PostAsJsonAsync($"/api/v1/hosts/{host.HostId}/slashes", new { kind = "deceit", reason = "claimed H100s, delivered less" });
        Assert.True(slash.IsSuccessStatusCode, await slash.Content.ReadAsStringAsync());
        await SettleEpochAfterAsync(c, TimeSpan.Zero);

        Assert.Equal(TokenAmount.FromTokens(2000), Sum(await EpochsAsync(c), t => t.Slashed));
        // Rewards earned before the slash went first, so the stake keeps what they covered; it is short either way.
        var wallet = await WalletAsync(operatorHttp);
        Assert.NotEqual("2000", wallet.Hosts.Single().Staked);
        Assert.False(wallet.Hosts.Single().FullyStaked);
        Assert.Equal("0", wallet.Vesting);
        await AssertBalancedAsync(c);
    }

    [Fact]
    public async Task AReserveLeaseWhoseHostIsLost_IsRefundedExactlyWhatItDidNotUse_AndCreditedItsFees()
    {
        await using var c = await StartAsync();
        var (host, operatorHttp) = await StakedHostAsync(c, "reserve");
        using var _ = operatorHttp;

        // One H100 reserved for an hour at most 3 USD/h, 0.10 USD/token: 30 tokens prepaid into escrow.
        var order = new
        {
            gpu = new[] { "H100" }, count = 1, maxPrice = 3, type = "reserve", hours = 1,
            command = new[] { "/bin/sh", "-c", "sleep 60" }, host = host.HostId,
        };
        var (customer, leaseId, lease, started) = await c.RunOnAsync(host, order, funds: 1_000);
        using var __ = customer;
        Assert.Equal("970", (await WalletAsync(customer)).Available);

        // 18 s metered at the host's 2 USD/h (0.1 token), then the host dies: not the customer's fault, so all the rest
        // comes back.
        await RunAndReportAsync(c, host, lease, started, seconds: 18, perReport: 9);
        await host.DisposeAsync();
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(12));
        Assert.Equal("HostLost", (await customer.LeaseAsync(leaseId))!.State);
        await SettleClosingAsync(c);

        // The loss also broke the lease's standard SLA (availability far below 95 %): its 0.1 token of fees come back
        // as a credit, from the lost host's vesting and stake.
        Assert.Equal(TokenAmount.FromTokens(29.9m), Sum(await EpochsAsync(c), t => t.Refunds));
        Assert.Equal(TokenAmount.FromTokens(0.1m), Sum(await EpochsAsync(c), t => t.SlaCredits));
        Assert.Equal(TokenAmount.FromTokens(1000m), TokenAmount.Parse((await WalletAsync(customer)).Available));
        await AssertBalancedAsync(c);
    }
}

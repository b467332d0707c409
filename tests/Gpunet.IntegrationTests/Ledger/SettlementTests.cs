using System.Net.Http.Json;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Ledger;

/// <summary>Epochs settle what was metered: the host earns 80 % into vesting, the treasury 20 %, the customer's hold is
/// released, capacity rewards reach staked hosts, and the ledger still balances.</summary>
public sealed class SettlementTests
{
    /// <summary>A coordinator settling 3-second epochs.</summary>
    internal static Task<TestCoordinator> StartAsync(bool requireStake = false) => TestCoordinator.StartAsync(configure: o =>
    {
        o.Ledger.EpochLength = TimeSpan.FromSeconds(3);
        o.Ledger.SettlementDelay = TimeSpan.FromMilliseconds(500);
        o.Ledger.RequireStake = requireStake;
        // Time a host is not heard is not billed, and a gap counts from 2 heartbeats + 500 ms: at the test default of
        // 200 ms a CI machine starved for a second unbilled half of a 4 s lease. These tests are about the money.
        o.Hosts.HeartbeatInterval = TimeSpan.FromMilliseconds(500);
        o.Hosts.OfflineGracePeriod = TimeSpan.FromSeconds(5);
    });

    /// <summary>A Ready one-H100 agent reporting usage every 500 ms, its operator signed in with
    /// <paramref name="funds"/> tokens, of which 1000 (its requirement) are staked.</summary>
    internal static async Task<(TestAgent Agent, string HostId, HttpClient Operator)> StakedHostAsync(TestCoordinator c, decimal funds = 5_000)
    {
        var agent = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:1", usageInterval: TimeSpan.FromMilliseconds(500));
        var hostId = await agent.HostIdAsync();
        await c.WaitForStateAsync(hostId, "Ready");
        var host = await c.CustomerAsync(agent.Wallet, funds: funds);
        using var stake = await host.PostAsJsonAsync("/api/v1/wallet/stake", new { amount = "1000", host = hostId });
        Assert.True(stake.IsSuccessStatusCode, await stake.Content.ReadAsStringAsync());
        return (agent, hostId, host);
    }

    private static async Task<WalletView?> WalletAsync(HttpClient http) =>
        await http.GetFromJsonAsync<WalletView>("/api/v1/wallet", TestCoordinator.Json);

    [Fact]
    public async Task AnOnDemandLease_IsChargedForWhatRan_AndTheHostEarns()
    {
        await using var c = await StartAsync();
        var (agent, _, host) = await StakedHostAsync(c);
        await using var _ = agent;
        using var __ = host;

        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 1_000);
        var order = await customer.RentAsync(MarketClient.Order("sleep 4"));
        var held = (await WalletAsync(customer))!;
        Assert.NotEqual("0", held.Held);
        await customer.WaitForStateAsync(order.LeaseId, "Succeeded", 60);

        // Wait for the settlement after the lease's end.
        var settled = await Eventually.Async(
            async () => (await c.Admin.GetFromJsonAsync<List<EpochView>>("/api/v1/epochs", TestCoordinator.Json))!,
            e => e.Any(x => x.Totals.Fees > TokenAmount.Zero), "an epoch with fees", 30);
        // One lease: each epoch's protocol fee is 20 % of its fees (rounded down), the host's 80 % the rest.
        foreach (var e in settled)
        {
            Assert.Equal(TokenAmount.FromBaseUnits(e.Totals.Fees.BaseUnits / 5), e.Totals.ProtocolFees);
            Assert.Equal(e.Totals.Fees - e.Totals.ProtocolFees, e.Totals.HostFees);
        }

        var after = await Eventually.Async(() => WalletAsync(customer), w => w.Held == "0", "the hold to be released", 30);
        var spent = TokenAmount.FromTokens(1_000) - TokenAmount.Parse(after.Available);
        // About 4 s of one H100 at 2.5 USD/h and 0.10 USD/token: 4 × 2.5 / 3600 / 0.1 ≈ 0.028 tokens.
        Assert.InRange(spent.BaseUnits, TokenAmount.FromTokens(0.015m).BaseUnits, TokenAmount.FromTokens(0.04m).BaseUnits);
        var operatorWallet = (await WalletAsync(host))!;
        Assert.True(TokenAmount.Parse(operatorWallet.Vesting) + TokenAmount.Parse(operatorWallet.Available) > TokenAmount.FromTokens(4_000),
            "the host earned fees and capacity rewards on top of its 4,000 unstaked tokens");
        var audit = (await c.Admin.GetFromJsonAsync<LedgerAuditResult>("/api/v1/ledger/verify", TestCoordinator.Json))!;
        Assert.True(audit.Balanced, string.Join("; ", audit.Problems));
    }

    [Fact]
    public async Task AHostThatGoesOfflineWhileServing_IsSlashedAThirdOfItsStake_AndPausedUntilItTopsUp()
    {
        await using var c = await StartAsync(requireStake: true);
        var (agent, _, host) = await StakedHostAsync(c, funds: 1_000);
        using var _ = host;
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 1_000);
        var order = await customer.RentAsync(MarketClient.Order("sleep 60"));
        await customer.WaitForStateAsync(order.LeaseId, "Running");

        // The host dies while serving: the lease ends host-lost, and the next settlement slashes 1000 / 3 tokens.
        await agent.DisposeAsync();
        await customer.WaitForStateAsync(order.LeaseId, "HostLost", 30);
        var slashed = await Eventually.Async(
            async () => (await c.Admin.GetFromJsonAsync<List<EpochView>>("/api/v1/epochs", TestCoordinator.Json))!,
            e => e.Any(x => x.Totals.Slashed > TokenAmount.Zero), "an epoch with a slash", 30);
        var total = slashed.Aggregate(TokenAmount.Zero, (s, e) => s + e.Totals.Slashed);
        Assert.Equal(TokenAmount.FromBaseUnits(TokenAmount.FromTokens(1000).BaseUnits / 3), total);

        // Rewards were taken first; whatever vesting did not cover came out of the stake, which is now short.
        var wallet = (await WalletAsync(host))!;
        var left = TokenAmount.Parse(wallet.Hosts.Single().Staked);
        Assert.True(left < TokenAmount.FromTokens(1000), $"stake left {left}");
        Assert.False(wallet.Hosts.Single().FullyStaked);
        var audit = (await c.Admin.GetFromJsonAsync<LedgerAuditResult>("/api/v1/ledger/verify", TestCoordinator.Json))!;
        Assert.True(audit.Balanced, string.Join("; ", audit.Problems));
    }

    [Fact]
    public async Task AnOnDemandLease_WhoseCustomerCannotCoverTheNextHold_EndsFundsExhausted()
    {
        await using var c = await StartAsync();
        await using var agent = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:1", usageInterval: TimeSpan.FromMilliseconds(500));
        await c.WaitForStateAsync(await agent.HostIdAsync(), "Ready");
        // One H100 at most 3 USD/h for 24 h at 0.10 USD/token: the first hold takes all 720 tokens.
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 720);
        var order = await customer.RentAsync(MarketClient.Order("sleep 60"));
        Assert.Equal("0", (await WalletAsync(customer))!.Available);

        var ended = await customer.WaitForLeaseAsync(order.LeaseId, l => l.EndReason is not null, "to end", 30);
        Assert.Equal("funds-exhausted", ended.EndReason);
        Assert.Equal("Expired", ended.State);
        var after = await Eventually.Async(() => WalletAsync(customer), w => w.Held == "0", "the hold to be released", 30);
        Assert.True(TokenAmount.Parse(after.Available) > TokenAmount.FromTokens(719), $"only what ran is charged; {after.Available} left");
    }

    [Fact]
    public async Task ADeceitRecordedByTheOperator_CostsTheWholeRequiredStake()
    {
        await using var c = await StartAsync();
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:2");
        var hostId = await agent.HostIdAsync();
        using var host = await c.CustomerAsync(agent.Wallet, funds: 2_000);
        using var stake = await host.PostAsJsonAsync("/api/v1/wallet/stake", new { amount = "2000", host = hostId });
        Assert.True(stake.IsSuccessStatusCode, await stake.Content.ReadAsStringAsync());

        // Only the operator records slashes, and a bad kind is refused.
        Assert.Equal(System.Net.HttpStatusCode.Forbidden,
            (await host.PostAsJsonAsync($"/api/v1/hosts/{hostId}/slashes", new { kind = "deceit", reason = "claimed H100s, delivered less" })).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest,
            (await c.Admin.PostAsJsonAsync($"/api/v1/hosts/{hostId}/slashes", new { kind = "whim", reason = "x" })).StatusCode);
        using var slash = await c.Admin.PostAsJsonAsync($"/api/v1/hosts/{hostId}/slashes", new { kind = "deceit", reason = "claimed H100s, delivered less" });
        Assert.True(slash.IsSuccessStatusCode, await slash.Content.ReadAsStringAsync());

        var wallet = await Eventually.Async(() => WalletAsync(host), w => w.Hosts.Single().Staked != "2000", "the slash to be settled", 30);
        var epochs = (await c.Admin.GetFromJsonAsync<List<EpochView>>("/api/v1/epochs", TestCoordinator.Json))!;
        Assert.Equal(TokenAmount.FromTokens(2000), epochs.Aggregate(TokenAmount.Zero, (s, e) => s + e.Totals.Slashed));
        // Rewards earned before the slash went first, so the stake keeps what they covered; it is short either way.
        Assert.False(wallet.Hosts.Single().FullyStaked);
        Assert.Equal("0", wallet.Vesting);
    }

    [Fact]
    public async Task AReserveLeaseWhoseHostIsLost_IsRefundedWhatItDidNotUse()
    {
        await using var c = await StartAsync();
        var (agent, _, host) = await StakedHostAsync(c);
        using var _ = host;
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 1_000);

        // One H100 reserved for an hour at most 3 USD/h, 0.10 USD/token: 30 tokens prepaid into escrow.
        var order = await customer.RentAsync(new
        {
            gpu = new[] { "H100" }, count = 1, maxPrice = 3, type = "reserve", hours = 1,
            command = new[] { "/bin/sh", "-c", "sleep 60" },
        });
        Assert.Equal("970", (await WalletAsync(customer))!.Available);
        await customer.WaitForStateAsync(order.LeaseId, "Running");

        // The host dies: not the customer's fault, so all but the metered seconds come back.
        await agent.DisposeAsync();
        await customer.WaitForStateAsync(order.LeaseId, "HostLost", 30);
        var after = await Eventually.Async(() => WalletAsync(customer), w => TokenAmount.Parse(w.Available) > TokenAmount.FromTokens(999), "the refund", 30);
        var spent = TokenAmount.FromTokens(1_000) - TokenAmount.Parse(after.Available);
        Assert.True(spent < TokenAmount.FromTokens(0.1m), $"charged {spent} for a few seconds");
        var epochs = (await c.Admin.GetFromJsonAsync<List<EpochView>>("/api/v1/epochs", TestCoordinator.Json))!;
        Assert.Equal(TokenAmount.FromTokens(30) - spent, epochs.Aggregate(TokenAmount.Zero, (s, e) => s + e.Totals.Refunds));
    }
}

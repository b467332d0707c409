using System.Net.Http.Json;
using Gpunet.Coordinator;
using Gpunet.Core.Ledger;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Services.Ledger;

/// <summary>The steps the settlement tests share: a coordinator with short epochs on the fake clock, staked hosts,
/// settling an epoch, and reading wallets, epochs and the ledger's audit.</summary>
internal static class Settlement
{
    /// <summary>Ten-second epochs (the clock starts at a whole minute, so they start at whole steps), each settled a step
    /// after its end.</summary>
    public static readonly TimeSpan EpochLength = TimeSpan.FromSeconds(10);

    public static Task<TestCoordinator> StartAsync(bool requireStake = false, string? db = null, Action<CoordinatorOptions>? configure = null) =>
        ServiceCoordinator.StartAsync(o =>
        {
            o.Ledger.EpochLength = EpochLength;
            o.Ledger.SettlementDelay = SteppedClock.Step;
            o.Ledger.RequireStake = requireStake;
            configure?.Invoke(o);
        }, db: db);

    /// <summary>A Ready host with one H100 per UUID (default one), its operator signed in with <paramref name="funds"/>
    /// tokens, of which 1000 per GPU (its requirement) are staked.</summary>
    public static async Task<(FakeAgent Agent, HttpClient Operator)> StakedHostAsync(TestCoordinator c, string seed, decimal funds = 5_000, params string[] uuids)
    {
        var agent = await c.ReadyHostAsync(seed, uuids: uuids);
        var host = await c.CustomerAsync(agent.Wallet, funds: funds);
        var stake = 1_000 * Math.Max(1, uuids.Length);
        using var staked = await host.PostAsJsonAsync("/api/v1/wallet/stake", new { amount = stake.ToString(System.Globalization.CultureInfo.InvariantCulture), host = agent.HostId });
        Assert.True(staked.IsSuccessStatusCode, await staked.Content.ReadAsStringAsync());
        return (agent, host);
    }

    /// <summary>When the epoch that holds <paramref name="at"/> ends.</summary>
    public static DateTimeOffset EpochEnd(DateTimeOffset at)
    {
        var epochMs = (long)EpochLength.TotalMilliseconds;
        return DateTimeOffset.FromUnixTimeMilliseconds((at.ToUnixTimeMilliseconds() / epochMs + 1) * epochMs);
    }

    /// <summary>Steps the clock until the epoch that holds <paramref name="after"/> from now is settled.</summary>
    public static async Task SettleEpochAfterAsync(TestCoordinator c, TimeSpan after)
    {
        var clock = c.Clock();
        await clock.AdvanceAsync(EpochEnd(clock.GetUtcNow() + after) - clock.GetUtcNow() + SteppedClock.Step);
    }

    public static async Task<WalletView> WalletAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<WalletView>("/api/v1/wallet", TestCoordinator.Json))!;

    public static async Task<List<EpochView>> EpochsAsync(TestCoordinator c) =>
        (await c.Admin.GetFromJsonAsync<List<EpochView>>("/api/v1/epochs", TestCoordinator.Json))!;

    public static TokenAmount Sum(IEnumerable<EpochView> epochs, Func<Gpunet.Core.Economics.EpochTotals, TokenAmount> of) =>
        epochs.Aggregate(TokenAmount.Zero, (s, e) => s + of(e.Totals));

    public static async Task AssertBalancedAsync(TestCoordinator c)
    {
        var audit = (await c.Admin.GetFromJsonAsync<LedgerAuditResult>("/api/v1/ledger/verify", TestCoordinator.Json))!;
        Assert.True(audit.Balanced, string.Join("; ", audit.Problems));
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.IntegrationTests.Services.Ledger;
using Gpunet.IntegrationTests.Support;
using static Gpunet.IntegrationTests.Services.Ledger.Settlement;

namespace Gpunet.IntegrationTests.WebConsole;

/// <summary>What the host operator's page reads: each host's earnings per settled epoch and the wallet's unbonding and
/// vesting schedules, on the fake clock with real settlements; nobody else reads them.</summary>
public sealed class HostOperatorApiTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task HostEarnings_AfterEpochsSettle_AreWhatEachSettlementPaidTheHost_AndVestInOneTrancheAnEpoch(string provider)
    {
        await using var c = await Settlement.StartAsync(db: await TestStores.NewStoreAsync(provider, TestCoordinator.NewDataDir()));
        var (agent, operatorHttp) = await StakedHostAsync(c, "earner");
        await using var _ = agent;
        using var __ = operatorHttp;
        await SettleEpochAfterAsync(c, TimeSpan.Zero);
        await SettleEpochAfterAsync(c, TimeSpan.Zero);

        var rows = (await operatorHttp.GetFromJsonAsync<List<HostEarningView>>($"/api/v1/hosts/{agent.HostId}/earnings", TestCoordinator.Json))!;
        var epochs = await EpochsAsync(c);
        Assert.NotEmpty(rows);
        Assert.Equal(rows.Select(r => r.Epoch).OrderDescending(), rows.Select(r => r.Epoch));
        // The only host, so it was paid every capacity reward of the epochs, and nothing else.
        Assert.Equal(Sum(epochs, t => t.CapacityRewards), rows.Aggregate(TokenAmount.Zero, (s, r) => s + TokenAmount.Parse(r.Capacity)));
        foreach (var r in rows)
        {
            var epoch = epochs.Single(e => e.Epoch == r.Epoch);
            Assert.Equal((epoch.Start, epoch.End), (r.Start, r.End));
            Assert.Equal((r.Capacity, "0", "0", "0"), (r.Earned, r.Fees, r.Slashed, r.Credited));
        }

        // Each paying epoch is one tranche of the wallet's vesting, vesting over 45 days from the epoch's end.
        var wallet = await WalletAsync(operatorHttp);
        var tranches = wallet.VestingSchedule!;
        Assert.Equal(rows.Select(r => (r.Epoch, r.Earned, r.End, r.End.AddDays(45))).OrderBy(t => t.Epoch),
            tranches.Select(t => (t.Epoch, t.Amount, t.Start, t.VestedAt)));
        Assert.All(tranches, t => Assert.True(TokenAmount.Parse(t.Vested) < TokenAmount.Parse(t.Amount), "seconds into 45 days, little has vested"));

        // The network operator sees them too; a limit gives the newest.
        var admin = (await c.Admin.GetFromJsonAsync<List<HostEarningView>>($"/api/v1/hosts/{agent.HostId}/earnings?limit=1", TestCoordinator.Json))!;
        Assert.Equal(rows[0], Assert.Single(admin));
        await AssertBalancedAsync(c);
    }

    [Fact]
    public async Task Unstaking_ListsTheEntryWithItsHostAndWhenItBecomesAvailable()
    {
        await using var c = await Settlement.StartAsync();
        var (agent, operatorHttp) = await StakedHostAsync(c, "unbonds");
        await using var _ = agent;
        using var __ = operatorHttp;
        Assert.Empty((await WalletAsync(operatorHttp)).UnbondingSchedule!);

        var now = c.Clock!.GetUtcNow();
        using (var unstaked = await operatorHttp.PostAsJsonAsync("/api/v1/wallet/unstake", new { amount = "250", host = agent.HostId }))
            Assert.True(unstaked.IsSuccessStatusCode, await unstaked.Content.ReadAsStringAsync());

        var wallet = await WalletAsync(operatorHttp);
        var entry = Assert.Single(wallet.UnbondingSchedule!);
        Assert.Equal((agent.HostId, "250", now, now.AddDays(180)), (entry.Host, entry.Amount, entry.Since, entry.AvailableAt));
        Assert.Equal("250", wallet.Unbonding);
    }

    [Fact]
    public async Task AnotherCustomer_GetsNoSuchHostForEarnings_AndNoSuchWalletForSchedules()
    {
        await using var c = await Settlement.StartAsync();
        var (agent, operatorHttp) = await StakedHostAsync(c, "private");
        await using var _ = agent;
        using var __ = operatorHttp;
        using var other = await c.CustomerAsync(Wallet.Create(), funds: 0);

        using (var r = await other.GetAsync($"/api/v1/hosts/{agent.HostId}/earnings"))
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        // Indistinguishable from a host that does not exist.
        using (var r = await other.GetAsync("/api/v1/hosts/host-000000000000/earnings"))
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        using (var r = await other.GetAsync($"/api/v1/wallet?address={agent.Wallet.Address.Value}"))
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        using (var r = await c.Anonymous.GetAsync($"/api/v1/hosts/{agent.HostId}/earnings"))
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        using (var r = await operatorHttp.GetAsync($"/api/v1/hosts/{agent.HostId}/earnings?limit=0"))
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        // The network operator looks at anyone's wallet, schedules included.
        var seen = (await c.Admin.GetFromJsonAsync<WalletView>($"/api/v1/wallet?address={agent.Wallet.Address.Value}", TestCoordinator.Json))!;
        Assert.NotNull(seen.UnbondingSchedule);
        Assert.Equal(1_000m.ToString(CultureInfo.InvariantCulture), Assert.Single(seen.Hosts).Staked);
    }
}

using System.Security.Cryptography;
using Gpunet.Coordinator;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using static Gpunet.IntegrationTests.Services.Ledger.Settlement;

namespace Gpunet.IntegrationTests.Services.Hosts;

/// <summary>Two coordinators over one store on one fake clock, an agent connected to A: B lists the host, rents it out,
/// reads its lines, cancels its lease, does not mark it down while A hears it, and pays it when B settles.</summary>
public sealed class SharedRegistryTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    /// <summary>A and B over one new store of <paramref name="provider"/>, one admin token, one clock; last-heard times
    /// stored every step (the production default is a sixth of the suspect window; the tier's is a minute).</summary>
    private static async Task<(TestCoordinator A, TestCoordinator B)> StartPairAsync(string provider,
        Action<CoordinatorOptions>? a = null, Action<CoordinatorOptions>? b = null)
    {
        var clock = new SteppedClock();
        var dir = TestCoordinator.NewDataDir();
        var db = await TestStores.NewStoreAsync(provider, dir);
        var token = "gpa_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var first = await TestCoordinator.StartAsync(dir, db, adminToken: token, clock: clock, configure: o =>
        {
            o.Hosts.PersistHeardEvery = SteppedClock.Step;
            a?.Invoke(o);
        });
        var second = await TestCoordinator.StartAsync(TestCoordinator.NewDataDir(), db, adminToken: token, clock: clock, configure: o =>
        {
            o.Hosts.PersistHeardEvery = SteppedClock.Step;
            b?.Invoke(o);
        });
        return (first, second);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AHostRegisteredThroughA_IsRentedThroughB_StartedAndStoppedThroughA_WithItsLinesReadThroughB(string provider)
    {
        var (a, b) = await StartPairAsync(provider);
        await using var _a = a;
        await using var _b = b;
        await using var host = await a.ReadyHostAsync("through-a");
        await a.Clock().AdvanceAsync(SteppedClock.Step);

        // B knows the host, as A does, without a restart: listed, Ready, offered in search.
        var listed = Assert.Single(await b.HostsAsync(), h => h.Id == host.HostId);
        Assert.Equal("Ready", listed.State);
        var offers = await b.Admin.GetStringAsync("/api/v1/gpus?q=" + Uri.EscapeDataString("model=H100"));
        Assert.Contains(host.HostId, offers, StringComparison.Ordinal);

        // An order through B is placed at once on A's host, and A's agent is told to start it.
        using var customer = await b.CustomerAsync(Wallet.Create());
        var order = await customer.RentAsync(ServiceCoordinator.OneGpuOn(host.HostId));
        Assert.True(order.Placed(), order.Leases[0].StateReason);
        // A's read of the store's host changes (a round of its own) and then its market's next round.
        await a.Clock().AdvanceAsync(2 * SteppedClock.Step);
        var (lease, _) = await host.RunNextLeaseAsync();
        Assert.Equal(order.LeaseId, lease.LeaseId);
        Assert.Equal("Running", (await customer.LeaseAsync(order.LeaseId))!.State);

        // Its lines, taken by A, are read through B.
        await host.SendLinesAsync(lease, 1, ["hello from A's host"]);
        await host.NextLogAckAsync();
        Assert.Contains(await customer.LogsAsync(order.LeaseId), l => l.Text == "hello from A's host");

        // Cancelled through B: the lease ends at once, and A tells its agent to stop the workload.
        (await customer.PostAsync($"/api/v1/leases/{order.LeaseId}/cancel", null)).EnsureSuccessStatusCode();
        Assert.Equal("Cancelled", (await customer.LeaseAsync(order.LeaseId))!.State);
        await a.Clock().AdvanceAsync(2 * SteppedClock.Step);
        var stop = await host.NextCommandAsync();
        Assert.Equal(order.LeaseId, stop.StopLease?.LeaseId);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AHostHeardThroughA_IsNotMarkedSuspectByB_UntilNobodyHearsIt(string provider)
    {
        var (a, b) = await StartPairAsync(provider);
        await using var _a = a;
        await using var _b = b;
        await using var host = await a.ReadyHostAsync("heard-by-a");

        // Past the offline grace (10 steps): B never hears the agent, A does.
        await a.Clock().AdvanceAsync(15 * SteppedClock.Step);
        Assert.Equal("Ready", (await b.HostAsync(host.HostId))!.State);
        Assert.DoesNotContain(await b.TransitionsAsync(host.HostId), t => t.To is "Suspect" or "Offline");

        // Once nobody hears it, both see it go Suspect.
        host.GoSilent();
        await a.Clock().AdvanceAsync(5 * SteppedClock.Step);
        Assert.Equal("Suspect", (await a.HostAsync(host.HostId))!.State);
        Assert.Equal("Suspect", (await b.HostAsync(host.HostId))!.State);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AHostHeardThroughA_StaysOnOfferThroughB_EveryStep(string provider)
    {
        // B reads A's host's heard time from the store, which A writes a step late at most: B must offer the host for as
        // long as A hears it, not only until B's copy turns as old as the suspect window (CI saw a rent through the second
        // coordinator of a devnet wait out its minute: the order stayed queued while the host was Ready everywhere).
        // Monitor ticks as long as the suspect window is short (the devnet's were 1 s against 1.5 s): here 2 steps each.
        static void Devnet(CoordinatorOptions o)
        {
            o.Hosts.SuspectAfterMissedHeartbeats = 2;
            o.Hosts.MonitorInterval = 2 * SteppedClock.Step;
        }

        var (a, b) = await StartPairAsync(provider, Devnet, Devnet);
        await using var _a = a;
        await using var _b = b;
        await using var host = await a.ReadyHostAsync("on-offer-through-b");
        using var customer = await b.CustomerAsync(Wallet.Create());
        var queued = new List<string>();
        for (var step = 0; step < 12; step++)
        {
            await a.Clock().AdvanceAsync(SteppedClock.Step);
            // An order through B for the host is placed at once, at every step; then cancelled, for the next.
            var order = await customer.RentAsync(ServiceCoordinator.OneGpuOn(host.HostId));
            if (!order.Placed())
                queued.Add($"step {step}: {order.Leases[0].StateReason}");
            (await customer.PostAsync($"/api/v1/leases/{order.LeaseId}/cancel", null)).EnsureSuccessStatusCode();
        }

        Assert.True(queued.Count == 0, $"B queued orders for A's heard host: {string.Join("; ", queued)}");
    }

    [Fact]
    public async Task AHostRegisteredThroughA_EarnsItsCapacityRewardWhenBSettles()
    {
        // One network, one epoch length; only B settles: it starts first, so it is the elected leader, and A would not
        // settle even if it led.
        static void Epochs(CoordinatorOptions o)
        {
            o.Ledger.EpochLength = EpochLength;
            o.Ledger.SettlementDelay = SteppedClock.Step;
        }

        var (b, a) = await StartPairAsync("sqlite", a: Epochs, b: o =>
        {
            Epochs(o);
            o.Ledger.SettleEpochs = false;
        });
        await using var _a = a;
        await using var _b = b;
        var (host, operatorHttp) = await StakedHostAsync(a, "rewarded-through-b");
        await using var _ = host;
        using var __ = operatorHttp;

        await SettleEpochAfterAsync(b, EpochLength);

        var settled = await EpochsAsync(b);
        Assert.NotEmpty(settled);
        // 4,000 of its 5,000 tokens are unstaked; the capacity reward B paid comes on top.
        var wallet = await WalletAsync(operatorHttp);
        Assert.True(TokenAmount(wallet.Vesting) + TokenAmount(wallet.Available) > Gpunet.Core.Ledger.TokenAmount.FromTokens(4_000),
            $"the host registered through A earned a capacity reward when B settled (vesting {wallet.Vesting}, available {wallet.Available})");
        await AssertBalancedAsync(b);
    }

    private static Gpunet.Core.Ledger.TokenAmount TokenAmount(string text) => Gpunet.Core.Ledger.TokenAmount.Parse(text);
}

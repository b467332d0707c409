using System.Net.Http.Json;
using Gpunet.Coordinator;
using Gpunet.Coordinator.Leadership;
using Gpunet.Coordinator.Ledger;
using Gpunet.Contracts.Network;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Hosts;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Gpunet.IntegrationTests.Services.Ledger.Settlement;

namespace Gpunet.IntegrationTests.Services.Leadership;

/// <summary>Two coordinators over one store, on one fake clock: one leads and runs the network's duties; when it stops
/// renewing, the other takes over within the lease; a stale leader's writes are refused by the fence.</summary>
public sealed class LeadershipTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    private static void ShortEpochs(CoordinatorOptions o)
    {
        o.Ledger.EpochLength = EpochLength;
        o.Ledger.SettlementDelay = SteppedClock.Step;
    }

    private static async Task<TestCoordinator> StartAsync(string provider, SteppedClock clock, string dir, string? db) =>
        await ServiceCoordinator.StartAsync(ShortEpochs, dir, provider == "sqlite" ? null : db, clock);

    private static async Task<(string Dir, string Db)> StoreAsync(string provider)
    {
        var dir = TestCoordinator.NewDataDir();
        return (dir, await TestStores.NewStoreAsync(provider, dir));
    }

    private static T Service<T>(TestCoordinator c) where T : notnull => c.App.Services.GetRequiredService<T>();

    private static async Task<NetworkView> NetworkAsync(TestCoordinator c) =>
        (await c.Anonymous.GetFromJsonAsync<NetworkView>("/api/v1/network", TestCoordinator.Json))!;

    private static void AssertEachEpochOnce(List<EpochView> epochs)
    {
        var numbers = epochs.Select(e => e.Epoch).Order().ToList();
        Assert.NotEmpty(numbers);
        Assert.Equal(Enumerable.Range(0, numbers.Count).Select(i => numbers[0] + i), numbers);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TwoCoordinators_OnlyTheLeaderSettles_AndBothNameIt(string provider)
    {
        var clock = new SteppedClock();
        var (dir, db) = await StoreAsync(provider);
        await using var a = await StartAsync(provider, clock, dir, db);
        await using var b = await StartAsync(provider, clock, dir, db);

        await clock.AdvanceAsync(2 * EpochLength);

        var leader = Service<LeadershipState>(a).CoordinatorId;
        var seenByA = await NetworkAsync(a);
        var seenByB = await NetworkAsync(b);
        Assert.Equal(leader, seenByA.Leader);
        Assert.Equal(leader, seenByB.Leader);
        Assert.Equal(1, seenByB.LeaderToken);
        Assert.NotEqual(leader, seenByB.Coordinator);
        // Public, so it names no machine: a random id unless the operator sets one.
        Assert.StartsWith("coordinator-", seenByB.Coordinator, StringComparison.Ordinal);
        Assert.DoesNotContain(Environment.MachineName, seenByB.Coordinator, StringComparison.OrdinalIgnoreCase);
        AssertEachEpochOnce(await EpochsAsync(b));
        // A settled every epoch; B, a follower, none.
        Assert.NotEqual(default, Service<EpochService>(a).LastPhases);
        Assert.Equal(default, Service<EpochService>(b).LastPhases);
        Assert.Contains("gpunet_leader 1", await a.Anonymous.GetStringAsync("/metrics"), StringComparison.Ordinal);
        Assert.Contains("gpunet_leader 0", await b.Anonymous.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task LeaderPaused_FollowerTakesOverWithinTheLease_AndTheStaleLeadersWritesAreRefused(string provider)
    {
        var clock = new SteppedClock();
        var (dir, db) = await StoreAsync(provider);
        await using var a = await StartAsync(provider, clock, dir, db);
        await using var b = await StartAsync(provider, clock, dir, db);
        await clock.AdvanceAsync(EpochLength);
        var stale = Service<LeadershipState>(a).Fence!;

        // A stops renewing, as a process paused by a long GC or SIGSTOP would: B leads within the lease and a round.
        Service<LeaderElection>(a).Frozen = true;
        await clock.AdvanceAsync(4 * SteppedClock.Step);
        Assert.Null(Service<LeadershipState>(a).Fence);
        Assert.Equal(new LeaderFence(Service<LeadershipState>(b).CoordinatorId, stale.Token + 1), Service<LeadershipState>(b).Fence);

        // The next epoch settles once, by B, and the ledger balances.
        await SettleEpochAfterAsync(b, TimeSpan.Zero);
        var settled = await EpochsAsync(b);
        AssertEachEpochOnce(settled);
        Assert.NotEqual(default, Service<EpochService>(b).LastPhases);
        await AssertBalancedAsync(b);

        // A wakes and writes as the leader it was: its settlement and its host transition are refused, nothing changes.
        var host = await b.ReadyHostAsync("stale-leader");
        await using var _ = host;
        var next = settled.Max(e => e.Epoch) + 1;
        await Assert.ThrowsAsync<LeadershipLostException>(() => Service<EpochService>(a).SettleAsync(next, stale, CancellationToken.None));
        await Assert.ThrowsAsync<LeadershipLostException>(() => Service<HostStore>(a).ApplyTransitionsAsync(
            [new HostTransition(host.HostId, HostState.Ready, HostState.Offline, "silent", clock.GetUtcNow())], stale, CancellationToken.None));
        Assert.Equal(settled.Count, (await EpochsAsync(b)).Count);
        Assert.Equal("Ready", (await b.HostAsync(host.HostId))!.State);
        await using var store = await Service<IDbContextFactory<GpunetDb>>(b).CreateDbContextAsync();
        Assert.DoesNotContain(await store.HostTransitions.Where(t => t.HostId == host.HostId).Select(t => t.To).ToListAsync(), to => to == "Offline");
        await AssertBalancedAsync(b);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Follower_DoesNotMarkDownAHostTheLeaderHears(string provider)
    {
        var clock = new SteppedClock();
        var (dir, db) = await StoreAsync(provider);
        await using var a = await StartAsync(provider, clock, dir, db);
        var host = await a.ReadyHostAsync("heard-by-the-leader");
        await using var _ = host;
        // B loads the host from the store, where its last-heard time is a minute old: to B it is silent.
        await using var b = await StartAsync(provider, clock, dir, db);

        await clock.AdvanceAsync(12 * SteppedClock.Step); // past the offline grace of 10 steps

        Assert.Equal("Ready", (await a.HostAsync(host.HostId))!.State);
        await using var store = await Service<IDbContextFactory<GpunetDb>>(a).CreateDbContextAsync();
        var changes = await store.HostTransitions.Where(t => t.HostId == host.HostId).Select(t => t.To).ToListAsync();
        Assert.DoesNotContain(changes, to => to is "Suspect" or "Offline");
        Assert.Equal("Ready", (await store.Hosts.SingleAsync(h => h.Id == host.HostId)).State);
    }
}

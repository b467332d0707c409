using System.Security.Cryptography;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Services.Hosts;

/// <summary>The host change sequence is pruned by the leader past its retention (a day), and what other coordinators
/// read of it afterwards is whole.</summary>
public sealed class HostChangeRetentionTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    private static T Service<T>(TestCoordinator c) where T : notnull => c.App.Services.GetRequiredService<T>();

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TheLeaderDeletesChangesPastTheRetention_KeepsNewerOnes_AndFollowersStillReadWhatComesNext(string provider)
    {
        var clock = new SteppedClock();
        var dir = TestCoordinator.NewDataDir();
        var db = await TestStores.NewStoreAsync(provider, dir);
        var token = "gpa_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        // Sweeps every step; heard times stored every step, so the leader hears of B's host (as SharedRegistryTests).
        static void SweepEachStep(Gpunet.Coordinator.CoordinatorOptions o)
        {
            o.Hosts.ChangesSweepInterval = SteppedClock.Step;
            o.Hosts.PersistHeardEvery = SteppedClock.Step;
        }

        await using var a = await TestCoordinator.StartAsync(dir, db, adminToken: token, clock: clock, configure: SweepEachStep);
        await using var b = await TestCoordinator.StartAsync(TestCoordinator.NewDataDir(), db, adminToken: token, clock: clock, configure: SweepEachStep);
        await using var first = await a.ReadyHostAsync("registered-today");
        await using (var store = await Service<IDbContextFactory<GpunetDb>>(a).CreateDbContextAsync())
        {
            store.HostChanges.Add(new HostChangeRecord { HostId = first.HostId, Kind = HostChangeKinds.Described, At = clock.GetUtcNow() - TimeSpan.FromDays(2) });
            await store.SaveChangesAsync();
        }

        // The follower deletes nothing; the leader, at its next sweep, the row two days old.
        Assert.Equal(0, await Service<HostChangeRetention>(b).SweepIfDueAsync(CancellationToken.None));
        await clock.AdvanceAsync(2 * SteppedClock.Step);
        await using (var store = await Service<IDbContextFactory<GpunetDb>>(a).CreateDbContextAsync())
        {
            var left = await store.HostChanges.AsNoTracking().ToListAsync();
            Assert.NotEmpty(left);
            Assert.All(left, c => Assert.True(c.At > clock.GetUtcNow() - TimeSpan.FromDays(1), $"change {c.Id} of {c.At:o} kept"));
        }

        // A host registered through B afterwards is listed by A.
        await using var second = await b.ReadyHostAsync("registered-after-the-sweep");
        await clock.AdvanceAsync(2 * SteppedClock.Step);
        Assert.Equal("Ready", (await a.HostAsync(second.HostId))?.State);
    }
}

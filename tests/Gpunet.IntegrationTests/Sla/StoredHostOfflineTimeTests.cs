using Gpunet.Coordinator.Sla;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Hosts;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Sla;

/// <summary>The offline time settlement reads for the hosts' capacity rewards: from the stored state changes, a host
/// unheard when the period began counted from its start.</summary>
public sealed class StoredHostOfflineTimeTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    private static readonly DateTimeOffset From = new(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddDays(1);

    [Fact]
    public async Task AHostDownSinceBeforeThePeriod_IsOfflineFromItsStartUntilItCameBack()
    {
        await using var c = await TestCoordinator.StartAsync();
        var factory = c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            // b went offline the evening before and came back half an hour into the day; c was away ten minutes in it;
            // d went away and came back the day before.
            db.HostTransitions.AddRange(
                Went("host-00000000000b", "Ready", "Offline", From.AddHours(-2)), Went("host-00000000000b", "Offline", "Ready", From.AddMinutes(30)),
                Went("host-00000000000c", "Ready", "Suspect", From.AddHours(8)), Went("host-00000000000c", "Suspect", "Ready", From.AddHours(8).AddMinutes(10)),
                Went("host-00000000000d", "Ready", "Offline", From.AddHours(-5)), Went("host-00000000000d", "Offline", "Ready", From.AddHours(-4)));
            await db.SaveChangesAsync();
        }

        var offline = await new StoredHostOfflineTime(factory).OfflineSecondsAsync(From, To, CancellationToken.None);

        Assert.Equal(30 * 60, offline.GetValueOrDefault("host-00000000000b"));
        Assert.Equal(10 * 60, offline.GetValueOrDefault("host-00000000000c"));
        Assert.Equal(0, offline.GetValueOrDefault("host-00000000000d"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AHostDownAllThePeriod_ThatCameBackAfterIt_IsOfflineTheWholePeriod(string provider)
    {
        var factory = StoreConnection.Parse(await TestStores.NewStoreAsync(provider, TestCoordinator.NewDataDir())).CreateDbContextFactory();
        await using (var db = await factory.CreateDbContextAsync())
        {
            // Each host's row says what it is now (Ready again, since after the day); its changes say what it was in it.
            // e was offline all day and back the next morning; f went Suspect the evening before, Offline the next
            // morning and back after; g was Ready all day and away only the next morning; h was down all day and
            // still is.
            db.Hosts.AddRange(Host("host-00000000000e", HostState.Ready, To.AddHours(3)), Host("host-00000000000f", HostState.Ready, To.AddHours(2)),
                Host("host-00000000000a", HostState.Ready, To.AddHours(2)), Host("host-000000000001", HostState.Offline, From.AddHours(-1)));
            db.HostTransitions.AddRange(
                Went("host-00000000000e", "Ready", "Offline", From.AddHours(-2)), Went("host-00000000000e", "Offline", "Ready", To.AddHours(3)),
                Went("host-00000000000f", "Ready", "Suspect", From.AddHours(-1)), Went("host-00000000000f", "Suspect", "Offline", To.AddHours(1)),
                Went("host-00000000000f", "Offline", "Ready", To.AddHours(2)),
                Went("host-00000000000a", "Ready", "Offline", To.AddHours(1)), Went("host-00000000000a", "Offline", "Ready", To.AddHours(2)),
                Went("host-000000000001", "Ready", "Offline", From.AddHours(-1)));
            await db.SaveChangesAsync();
        }

        var offline = await new StoredHostOfflineTime(factory).OfflineSecondsAsync(From, To, CancellationToken.None);

        Assert.Equal(86_400, offline.GetValueOrDefault("host-00000000000e"));
        Assert.Equal(86_400, offline.GetValueOrDefault("host-00000000000f"));
        Assert.Equal(0, offline.GetValueOrDefault("host-00000000000a"));
        Assert.Equal(86_400, offline.GetValueOrDefault("host-000000000001"));
    }

    private static HostRecord Host(string id, HostState state, DateTimeOffset since) => new()
    {
        Id = id, Address = "0x52908400098527886e0f7030069857d2e4169ee7", Fingerprint = id, Hostname = "h", Country = "DE",
        State = state.ToString(), StateSince = since, RegisteredAt = From.AddDays(-30),
    };

    private static HostTransitionRecord Went(string host, string from, string to, DateTimeOffset at) =>
        new() { HostId = host, From = from, To = to, Reason = "seeded", At = at };
}

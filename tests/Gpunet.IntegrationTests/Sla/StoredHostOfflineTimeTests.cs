using Gpunet.Coordinator.Sla;
using Gpunet.Coordinator.Storage;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Sla;

/// <summary>The offline time settlement reads for the hosts' capacity rewards: from the stored state changes, a host
/// unheard when the period began counted from its start.</summary>
public sealed class StoredHostOfflineTimeTests
{
    [Fact]
    public async Task AHostDownSinceBeforeThePeriod_IsOfflineFromItsStartUntilItCameBack()
    {
        await using var c = await TestCoordinator.StartAsync();
        var factory = c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>();
        var from = new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(1);
        await using (var db = await factory.CreateDbContextAsync())
        {
            // b went offline the evening before and came back half an hour into the day; c was away ten minutes in it;
            // d went away and came back the day before.
            db.HostTransitions.AddRange(
                Went("host-00000000000b", "Ready", "Offline", from.AddHours(-2)), Went("host-00000000000b", "Offline", "Ready", from.AddMinutes(30)),
                Went("host-00000000000c", "Ready", "Suspect", from.AddHours(8)), Went("host-00000000000c", "Suspect", "Ready", from.AddHours(8).AddMinutes(10)),
                Went("host-00000000000d", "Ready", "Offline", from.AddHours(-5)), Went("host-00000000000d", "Offline", "Ready", from.AddHours(-4)));
            await db.SaveChangesAsync();
        }

        var offline = await new StoredHostOfflineTime(factory).OfflineSecondsAsync(from, to, CancellationToken.None);

        Assert.Equal(30 * 60, offline.GetValueOrDefault("host-00000000000b"));
        Assert.Equal(10 * 60, offline.GetValueOrDefault("host-00000000000c"));
        Assert.Equal(0, offline.GetValueOrDefault("host-00000000000d"));
    }

    private static HostTransitionRecord Went(string host, string from, string to, DateTimeOffset at) =>
        new() { HostId = host, From = from, To = to, Reason = "seeded", At = at };
}

using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Storage;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.IntegrationTests.Marketplace;

/// <summary>A lease's moves as the store keeps them, on both stores (SQLite writes them through prepared statements,
/// PostgreSQL through EF): every column, one history step each, and nothing at all when one lease moved on since it was
/// read (another coordinator).</summary>
public sealed class LeaseStoreTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(TestStores.Providers), MemberType = typeof(TestStores))]
    public async Task SaveAsync_MovedLeases_ReadBackAsWritten_EachWithOneHistoryStep(string provider)
    {
        var (factory, store) = await StoreAsync(provider);
        await store.CreateOrderAsync(Order(), [Lease("lease-a", 0), Lease("lease-b", 1)], CancellationToken.None);
        var a = (await store.LeaseAsync("lease-a", CancellationToken.None))!;
        var b = (await store.LeaseAsync("lease-b", CancellationToken.None))!;
        var placedAt = Created.AddSeconds(3);
        a.State = "Starting";
        a.StateReason = "placed on host-1 GPU 2,3";
        a.HostId = "host-1";
        a.GpuIndices = "2,3";
        a.GpuMilli = 500;
        a.GpuModel = "H100-SXM5-80GB";
        a.PriceUsdPerGpuHour = 2.375m;
        a.AllocationId = "lease-a.1";
        a.Attempt = 1;
        a.PlacedAt = placedAt;
        b.State = "Cancelled";
        b.StateReason = "cancelled by its owner";
        b.EndReason = "cancelled";
        b.EndedAt = placedAt;
        b.ExitCode = 137;
        b.Endpoint = null;

        Assert.True(await store.SaveAsync([a, b], placedAt, CancellationToken.None));

        Assert.Equal((1L, 1L), (a.Version, b.Version));
        await using var read = await factory.CreateDbContextAsync();
        var stored = await read.Leases.AsNoTracking().OrderBy(l => l.Id).ToListAsync();
        Assert.Equivalent(new[] { a, b }, stored, strict: true);
        var history = await read.LeaseEvents.AsNoTracking().OrderBy(e => e.Id).Select(e => new { e.LeaseId, e.State, e.Reason, e.HostId }).ToListAsync();
        Assert.Equal(
            [
                new { LeaseId = "lease-a", State = "Pending", Reason = "waiting for the matcher", HostId = (string?)null },
                new { LeaseId = "lease-b", State = "Pending", Reason = "waiting for the matcher", HostId = (string?)null },
                new { LeaseId = "lease-a", State = "Starting", Reason = "placed on host-1 GPU 2,3", HostId = (string?)"host-1" },
                new { LeaseId = "lease-b", State = "Cancelled", Reason = "cancelled by its owner", HostId = (string?)null },
            ], history);
    }

    [Theory]
    [MemberData(nameof(TestStores.Providers), MemberType = typeof(TestStores))]
    public async Task SaveAsync_OneLeaseMovedOnSinceItWasRead_WritesNoneOfThem(string provider)
    {
        var (factory, store) = await StoreAsync(provider);
        await store.CreateOrderAsync(Order(), [Lease("lease-a", 0), Lease("lease-b", 1)], CancellationToken.None);
        var a = (await store.LeaseAsync("lease-a", CancellationToken.None))!;
        var staleB = (await store.LeaseAsync("lease-b", CancellationToken.None))!;
        // Another coordinator moves b first.
        var otherB = (await store.LeaseAsync("lease-b", CancellationToken.None))!;
        otherB.StateReason = "no GPU free (another coordinator)";
        Assert.True(await store.SaveAsync([otherB], Created, CancellationToken.None));

        a.State = "Cancelled";
        a.StateReason = "cancelled";
        staleB.State = "Cancelled";
        staleB.StateReason = "cancelled";
        Assert.False(await store.SaveAsync([a, staleB], Created, CancellationToken.None));

        Assert.Equal((0L, 0L), (a.Version, staleB.Version)); // as read: the caller reads them again
        await using var read = await factory.CreateDbContextAsync();
        var stored = await read.Leases.AsNoTracking().OrderBy(l => l.Id).Select(l => new { l.Id, l.State, l.StateReason, l.Version }).ToListAsync();
        Assert.Equal(
            [
                new { Id = "lease-a", State = "Pending", StateReason = "waiting for the matcher", Version = 0L },
                new { Id = "lease-b", State = "Pending", StateReason = "no GPU free (another coordinator)", Version = 1L },
            ], stored);
        Assert.Equal(3, await read.LeaseEvents.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestStores.Providers), MemberType = typeof(TestStores))]
    public async Task HistoryAsync_ALeaseOf250Steps_TheLatest200OldestFirst_TheEarlierCounted(string provider)
    {
        var (factory, store) = await StoreAsync(provider);
        await store.CreateOrderAsync(Order(), [Lease("lease-a", 0), Lease("lease-b", 1)], CancellationToken.None);
        await using (var db = await factory.CreateDbContextAsync())
        {
            // lease-a waits a month, its reason changing: 249 steps after its first.
            for (var i = 1; i < 250; i++)
                db.LeaseEvents.Add(new LeaseEventRecord { LeaseId = "lease-a", At = Created.AddMinutes(i), State = "Pending", Reason = $"wait {i}" });
            await db.SaveChangesAsync();
        }

        var long_ = await store.HistoryAsync("lease-a", CancellationToken.None);
        var short_ = await store.HistoryAsync("lease-b", CancellationToken.None);

        Assert.Equal(200, long_.Steps.Count);
        Assert.Equal(("wait 50", "wait 249"), (long_.Steps[0].Reason, long_.Steps[^1].Reason));
        Assert.Equal(50, long_.Earlier);
        Assert.Equal(("waiting for the matcher", 0), (short_.Steps.Single().Reason, short_.Earlier));
    }

    private static async Task<(IDbContextFactory<GpunetDb> Factory, LeaseStore Store)> StoreAsync(string provider)
    {
        var factory = StoreConnection.Parse(await TestStores.NewStoreAsync(provider, TestCoordinator.NewDataDir())).CreateDbContextFactory();
        return (factory, new LeaseStore(factory, new LeaseLogFeed()));
    }

    private static OrderRecord Order() => new()
    {
        Id = "order-1",
        Owner = "0x52908400098527886e0f7030069857d2e4169ee7",
        Spec = "{}",
        Hosts = 2,
        CreatedAt = Created,
        QueueDeadline = Created.AddHours(1),
    };

    private static LeaseRecord Lease(string id, int member) => new()
    {
        Id = id,
        OrderId = "order-1",
        Owner = "0x52908400098527886e0f7030069857d2e4169ee7",
        Member = member,
        State = "Pending",
        StateReason = "waiting for the matcher",
        SlaTier = "gold",
        CreatedAt = Created,
    };
}

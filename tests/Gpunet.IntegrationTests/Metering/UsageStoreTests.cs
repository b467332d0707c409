using Gpunet.Coordinator.Metering;
using Gpunet.Coordinator.Storage;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Metering;

/// <summary>Accepted usage reports stored in groups, on SQLite and PostgreSQL: every caller learns its own outcome,
/// and a report stored twice is refused alone.</summary>
public sealed class UsageStoreTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    private static LeaseUsageRecord Usage(string leaseId, long sequence) => new()
    {
        LeaseId = leaseId,
        Sequence = sequence,
        HostId = "host-0123456789ab",
        Operator = "0x52908400098527886e0f7030069857d2e4169ee7",
        FromMs = sequence * 10_000,
        ToMs = (sequence + 1) * 10_000,
        ReportedMs = 10_000,
        BilledMs = 10_000,
        Gpus = 1,
        GpuMilli = 1000,
        Signature = "0x" + new string('a', 130),
        ReceivedAt = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero),
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ReportsArrivingTogether_AllStored_AReportStoredTwiceRefusedAloneAndItsNeighboursLand(string provider)
    {
        var connection = StoreConnection.Parse(await TestStores.NewStoreAsync(provider, TestCoordinator.NewDataDir()));
        var db = connection.CreateDbContextFactory();
        await StoreSchema.EnsureAsync(db, CancellationToken.None);
        await using var store = new UsageStore(db);
        Assert.True(await store.AddAsync(Usage("lease-000000000001", 1), CancellationToken.None));

        // Sixty reports of twenty leases at once, one of them a report already stored (another coordinator took it).
        var reports = Enumerable.Range(1, 20).SelectMany(l => Enumerable.Range(1, 3).Select(s => Usage($"lease-{l:x12}", s))).ToList();
        var added = await Task.WhenAll(reports.Select(u => store.AddAsync(u, CancellationToken.None)));

        Assert.Equal(59, added.Count(a => a));
        Assert.False(added[reports.FindIndex(u => u.LeaseId == "lease-000000000001" && u.Sequence == 1)]);
        for (var l = 1; l <= 20; l++)
            Assert.Equal([1L, 2L, 3L], (await store.ForLeaseAsync($"lease-{l:x12}", CancellationToken.None)).Select(u => u.Sequence));
    }
}

using Gpunet.Coordinator.Storage;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.IntegrationTests.Storage;

/// <summary>Rows written through prepared statements read back through EF exactly as EF would have written them.</summary>
public sealed class SqliteRowInserterTests
{
    [Fact]
    public async Task Insert_ColumnsWithAStoreDefault_KeepTheRowsValue_TheDefaultOnlyWhereTheRowHasNone()
    {
        // leases.SlaTier has a store default ("standard"); an inserter that left such columns to the store stored every
        // tiered order as standard.
        var factory = StoreConnection.Parse(await TestStores.NewStoreAsync("sqlite", TestCoordinator.NewDataDir())).CreateDbContextFactory();
        await StoreSchema.EnsureAsync(factory, CancellationToken.None);
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Database.OpenConnectionAsync();
            await using var tx = await db.Database.BeginTransactionAsync();
            using (var leases = new SqliteRowInserter<LeaseRecord>(db))
            {
                leases.Insert(Lease("tiered", "gold"));
                leases.Insert(Lease("untiered", null!));
            }

            using (var events = new SqliteRowInserter<LeaseEventRecord>(db))
            {
                var first = events.Insert(new LeaseEventRecord { LeaseId = "tiered", State = "Pending" });
                var second = events.Insert(new LeaseEventRecord { LeaseId = "tiered", State = "Placed" });
                Assert.NotEqual(first, second); // the autoincrement key is still the store's
            }

            await tx.CommitAsync();
        }

        await using var read = await factory.CreateDbContextAsync();
        var tiers = await read.Leases.AsNoTracking().ToDictionaryAsync(l => l.Id, l => l.SlaTier);
        Assert.Equal("gold", tiers["tiered"]);
        Assert.Equal("standard", tiers["untiered"]);
        Assert.Equal(["Pending", "Placed"], await read.LeaseEvents.AsNoTracking().OrderBy(e => e.Id).Select(e => e.State).ToListAsync());
    }

    private static LeaseRecord Lease(string id, string tier) => new()
    {
        Id = id,
        OrderId = "order-" + id,
        Owner = "0x52908400098527886e0f7030069857d2e4169ee7",
        State = "Pending",
        PriceUsdPerGpuHour = 2.25m,
        CreatedAt = DateTimeOffset.UnixEpoch,
        SlaTier = tier,
    };
}

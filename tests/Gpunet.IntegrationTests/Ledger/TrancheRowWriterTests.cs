using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.IntegrationTests.Ledger;

/// <summary>A settlement's vesting tranche changes on SQLite and PostgreSQL: new tranches inserted, slashed ones
/// updated, fully released ones deleted, every other one left as written.</summary>
public sealed class TrancheRowWriterTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    private static readonly DateTimeOffset Day = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static VestingTranche Tranche(int owner, long epoch, decimal amount, decimal released = 0) =>
        new(Address.Parse("0x" + owner.ToString("x40", System.Globalization.CultureInfo.InvariantCulture)), epoch, TokenAmount.FromTokens(amount),
            TokenAmount.FromTokens(released), Day.AddDays(epoch));

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Write_InsertsUpdatesAndDeletesOnlyWhatChanged(string provider)
    {
        var factory = StoreConnection.Parse(await TestStores.NewStoreAsync(provider, TestCoordinator.NewDataDir())).CreateDbContextFactory();
        await StoreSchema.EnsureAsync(factory, CancellationToken.None);
        async Task WriteAsync(VestingChanges changes)
        {
            await using var db = await factory.CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            await using var tx = await connection.BeginTransactionAsync();
            await TrancheRowWriter.WriteAsync(connection, tx, changes, CancellationToken.None);
            await tx.CommitAsync();
        }

        await WriteAsync(new VestingChanges([Tranche(1, 1, 45), Tranche(1, 2, 90), Tranche(2, 2, 10)], [], []));
        await WriteAsync(new VestingChanges([Tranche(1, 3, 5)], [Tranche(1, 2, 60, 4)], [(Tranche(2, 2, 0).Owner, 2)]));

        await using var read = await factory.CreateDbContextAsync();
        var rows = (await read.VestingTranches.AsNoTracking().ToListAsync()).OrderBy(t => t.Owner, StringComparer.Ordinal).ThenBy(t => t.Epoch)
            .Select(t => (t.Owner, t.Epoch, t.Amount, t.Released, t.Start)).ToList();
        Assert.Equal(
            [Row(Tranche(1, 1, 45)), Row(Tranche(1, 2, 60, 4)), Row(Tranche(1, 3, 5))],
            rows);
    }

    private static (string, long, long, long, DateTimeOffset) Row(VestingTranche t) =>
        (t.Owner.Value, t.Epoch, t.Amount.BaseUnits, t.Released.BaseUnits, t.Start);
}

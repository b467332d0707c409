using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gpunet.IntegrationTests.Ledger;

/// <summary>A batch larger than two slices (an epoch's settlement) is written while it is decided (<see cref="LedgerStream"/>),
/// on real SQLite and PostgreSQL: the same results and balances as the same transfers in small batches, and all of it or
/// nothing in one transaction.</summary>
public sealed class StreamedBatchTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    private const int Count = 2 * LedgerReplica.SliceSize + 5_000;
    private static readonly AccountKey Genesis = AccountKey.Network(AccountPurpose.Genesis);

    private static AccountKey Wallet(int n) => AccountKey.Participant(Address.Parse("0x" + (n + 1).ToString("x40", System.Globalization.CultureInfo.InvariantCulture)), AccountPurpose.Available);

    private static TransferId Id(int n) => TransferId.FromParts(7, (ulong)n + 1);

    private static async Task<(LedgerService Ledger, IDbContextFactory<GpunetDb> Db)> StartAsync(string provider)
    {
        var db = StoreConnection.Parse(await TestStores.NewStoreAsync(provider, TestCoordinator.NewDataDir())).CreateDbContextFactory();
        await StoreSchema.EnsureAsync(db, CancellationToken.None);
        var ledger = new LedgerService(new StoredLedgerStore(db), new FakeTimeProvider(), new LedgerGenesis(TokenAmount.FromTokens(1_000_000)), NullLogger<LedgerService>.Instance);
        await ledger.StartAsync(CancellationToken.None);
        return (ledger, db);
    }

    // Deposits to 3,000 new wallets and payments between them; linked chains across both slice ends, one of which fails
    // (its second transfer overdraws), and single transfers that overdraw.
    private static List<PlannedTransfer> Transfers()
    {
        var transfers = new List<PlannedTransfer>(Count);
        for (var i = 0; i < Count; i++)
        {
            var flags = i is >= LedgerReplica.SliceSize - 2 and < LedgerReplica.SliceSize + 2 || i is >= 2 * LedgerReplica.SliceSize - 1 and < 2 * LedgerReplica.SliceSize + 1
                ? TransferFlags.Linked : TransferFlags.None;
            transfers.Add(i < 3_000 || i % 7 == 0
                ? new PlannedTransfer(Id(i), Genesis, Wallet(i % 3_000), TokenAmount.FromTokens(10), TransferCode.Deposit, flags)
                : new PlannedTransfer(Id(i), Wallet(i % 3_000), Wallet((i + 1) % 3_000),
                    i == 2 * LedgerReplica.SliceSize || i % 1_001 == 0 ? TokenAmount.FromTokens(1_000) : TokenAmount.FromTokens(1), TransferCode.Deposit, flags));
        }

        return transfers;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ALargeBatch_GivesWhatSmallBatchesGive(string provider)
    {
        var transfers = Transfers();
        var (streamed, streamedDb) = await StartAsync(provider);
        var (small, _) = await StartAsync(provider);
        var results = await streamed.SubmitAsync(transfers, CancellationToken.None);
        var expected = new List<TransferResult>();
        // Cut where no linked chain is open, in batches too small to be streamed.
        for (var from = 0; from < Count;)
        {
            var to = Math.Min(Count, from + 10_000);
            while (to < Count && (transfers[to - 1].Flags & TransferFlags.Linked) != 0)
                to++;
            expected.AddRange(await small.SubmitAsync(transfers[from..to], CancellationToken.None));
            from = to;
        }

        Assert.Equal(expected, results);
        Assert.Contains(TransferResult.LinkedEventFailed, results);
        Assert.Contains(TransferResult.InsufficientFunds, results);
        var keys = Enumerable.Range(0, 3_000).Select(Wallet).ToList();
        Assert.Equal(await small.AccountsAsync(keys, CancellationToken.None), await streamed.AccountsAsync(keys, CancellationToken.None));
        var audit = await streamed.VerifyStoreAsync(CancellationToken.None);
        Assert.True(audit.Balanced);
        await using var db = await streamedDb.CreateDbContextAsync();
        Assert.Equal(1 + results.Count(r => r == TransferResult.Ok), await db.LedgerTransfers.CountAsync());
        await streamed.StopAsync(CancellationToken.None);
        await small.StopAsync(CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ALargeBatchWhoseLastStepFails_WritesNothing_NotEvenItsPrelude(string provider)
    {
        var (ledger, factory) = await StartAsync(provider);
        var failed = ledger.SubmitAsync(Transfers(), async (connection, tx, ct) =>
        {
            await using var db = GpunetDb.On(connection, tx);
            db.Meta.Add(new MetaRecord { Key = "prelude", Value = "written" });
            await db.SaveChangesAsync(ct);
        }, (_, _, _, _) => throw new InvalidOperationException("the settlement's last step failed"), CancellationToken.None);

        Assert.Equal("the settlement's last step failed", (await Assert.ThrowsAsync<InvalidOperationException>(() => failed)).Message);
        await using (var db = await factory.CreateDbContextAsync())
        {
            Assert.Equal(1, await db.LedgerTransfers.CountAsync()); // the genesis seed alone
            Assert.False(await db.Meta.AnyAsync(m => m.Key == "prelude"));
            Assert.Equal(0, await db.LedgerAccountKeys.CountAsync(k => k.Key.StartsWith("participant:")));
        }

        // The ledger goes on from what the store holds.
        Assert.Equal([TransferResult.Ok], await ledger.SubmitAsync([new PlannedTransfer(Id(0), Genesis, Wallet(0), TokenAmount.FromTokens(5), TransferCode.Deposit)], CancellationToken.None));
        Assert.Equal(TokenAmount.FromTokens(5), (await ledger.AccountsAsync([Wallet(0)], CancellationToken.None))[0]!.Value.Balance);
        Assert.True((await ledger.VerifyStoreAsync(CancellationToken.None)).Balanced);
        await ledger.StopAsync(CancellationToken.None);
    }
}

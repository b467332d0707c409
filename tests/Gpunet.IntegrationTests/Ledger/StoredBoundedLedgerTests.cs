using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.IntegrationTests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gpunet.IntegrationTests.Ledger;

/// <summary>A ledger holding few transfers in memory, on real SQLite and PostgreSQL: what it no longer holds it looks
/// up in the store (ids by primary key, resolutions and history by scan) and decides as with the whole log.</summary>
public sealed class StoredBoundedLedgerTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    private static readonly AccountKey Genesis = AccountKey.Network(AccountPurpose.Genesis);

    private static AccountKey Wallet(int n) => AccountKey.Participant(Address.Parse("0x" + n.ToString("x40", System.Globalization.CultureInfo.InvariantCulture)), AccountPurpose.Available);

    private static TransferId Id(ulong n) => TransferId.FromParts(0x8000_0000_0000_0001, n); // a high part above long.MaxValue: stored negative

    private static async Task<LedgerService> StartAsync(ILedgerStore store, int recent)
    {
        var ledger = new LedgerService(store, new FakeTimeProvider(), new LedgerGenesis(TokenAmount.FromTokens(1_000_000)), NullLogger<LedgerService>.Instance, recent);
        await ledger.StartAsync(CancellationToken.None);
        return ledger;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Restart_ManyTransfersPastMemory_OldIdsPendingsAndHistoryAsWithTheWholeLog(string provider)
    {
        var connection = StoreConnection.Parse(await TestStores.NewStoreAsync(provider, TestCoordinator.NewDataDir()));
        var db = connection.CreateDbContextFactory();
        await StoreSchema.EnsureAsync(db, CancellationToken.None);
        var store = new StoredLedgerStore(db);
        var ledger = await StartAsync(store, 20);
        Assert.All(await ledger.SubmitAsync([new PlannedTransfer(Id(1), Genesis, Wallet(0), TokenAmount.FromTokens(50), TransferCode.Deposit)], CancellationToken.None),
            r => Assert.Equal(TransferResult.Ok, r));
        var hold = new PlannedTransfer(Id(2), Wallet(0), Wallet(1), TokenAmount.FromTokens(20), TransferCode.EscrowHold, TransferFlags.Pending);
        var post = new PlannedTransfer(Id(3), Wallet(0), Wallet(1), TokenAmount.FromTokens(5), TransferCode.EscrowCharge, TransferFlags.PostPending, Id(2));
        Assert.Equal([TransferResult.Ok, TransferResult.Ok], await ledger.SubmitAsync([hold, post], CancellationToken.None));
        var deposits = Enumerable.Range(10, 300).Select(i => new PlannedTransfer(Id((ulong)i), Genesis, Wallet(i % 3), TokenAmount.FromTokens(1), TransferCode.Deposit)).ToList();
        Assert.All(await ledger.SubmitAsync(deposits, CancellationToken.None), r => Assert.Equal(TransferResult.Ok, r));
        await ledger.StopAsync(CancellationToken.None);

        ledger = await StartAsync(store, 20);
        var whole = await StartAsync(store, int.MaxValue);
        Assert.InRange(ledger.KeptTransferCount, 1, 40);
        Assert.Equal([TransferResult.Exists], await ledger.SubmitAsync([deposits[0]], CancellationToken.None));
        Assert.Equal([TransferResult.Exists], await ledger.SubmitAsync([post], CancellationToken.None));
        Assert.Equal([TransferResult.PendingAlreadyPosted], await ledger.SubmitAsync([post with { Id = Id(4) }], CancellationToken.None));
        Assert.True(await ledger.HasTransferAsync(Id(1), CancellationToken.None));
        long? before = null;
        while (true)
        {
            var page = await whole.HistoryAsync([Wallet(0), Wallet(1)], 30, before, CancellationToken.None);
            Assert.Equal(page, await ledger.HistoryAsync([Wallet(0), Wallet(1)], 30, before, CancellationToken.None));
            if (page.Count < 30)
                break;
            before = page[^1].Sequence;
        }

        Assert.NotNull(before);
        Assert.Equal(TokenAmount.FromTokens(50 - 5 + 100), (await ledger.AccountsAsync([Wallet(0)], CancellationToken.None))[0]!.Value.Balance);
        Assert.True((await ledger.VerifyStoreAsync(CancellationToken.None)).Balanced);
        await ledger.StopAsync(CancellationToken.None);
        await whole.StopAsync(CancellationToken.None);
    }
}

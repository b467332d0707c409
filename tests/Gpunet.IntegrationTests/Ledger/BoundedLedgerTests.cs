using Gpunet.Coordinator.Ledger;
using Gpunet.Core.Economics;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.IntegrationTests.Ledger.Ports;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gpunet.IntegrationTests.Ledger;

/// <summary>A ledger that holds only its recent transfers in memory decides and shows everything as one holding the
/// whole log: balances, old ids re-sent, pending transfers, history pages. In memory, through the store port.</summary>
public sealed class BoundedLedgerTests
{
    private const int Recent = 100;
    private static readonly AccountKey Genesis = AccountKey.Network(AccountPurpose.Genesis);
    private static readonly FakeTimeProvider Time = new(DateTimeOffset.Parse("2025-03-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private static async Task<LedgerService> StartAsync(ILedgerStore store, int recent = Recent)
    {
        var ledger = new LedgerService(store, Time, new LedgerGenesis(TokenAmount.FromTokens(1_000_000)), NullLogger<LedgerService>.Instance, recent);
        await ledger.StartAsync(CancellationToken.None);
        return ledger;
    }

    private static AccountKey Wallet(int n) => AccountKey.Participant(Address.Parse("0x" + n.ToString("x40", System.Globalization.CultureInfo.InvariantCulture)), AccountPurpose.Available);

    private static TransferId Id(ulong n) => TransferId.FromParts(91, n);

    private static PlannedTransfer Deposit(ulong id, int wallet, decimal tokens) =>
        new(Id(id), Genesis, Wallet(wallet), TokenAmount.FromTokens(tokens), TransferCode.Deposit);

    private static PlannedTransfer Hold(ulong id, int from, int to, decimal tokens) =>
        new(Id(id), Wallet(from), Wallet(to), TokenAmount.FromTokens(tokens), TransferCode.EscrowHold, TransferFlags.Pending);

    private static PlannedTransfer Resolve(ulong id, ulong pending, int from, int to, decimal tokens, bool post) =>
        new(Id(id), Wallet(from), Wallet(to), TokenAmount.FromTokens(tokens), TransferCode.EscrowCharge,
            post ? TransferFlags.PostPending : TransferFlags.VoidPending, Id(pending));

    // 3,000 deposits of 1 token to wallets 0..9 (ids 1..3000), after two holds of wallet 0's first deposits (ids 5001, 5002).
    private static async Task<InMemoryLedgerStore> ManySettledAsync()
    {
        var store = new InMemoryLedgerStore();
        var ledger = await StartAsync(store);
        Assert.All(await ledger.SubmitAsync([Deposit(1, 0, 50)], CancellationToken.None), r => Assert.Equal(TransferResult.Ok, r));
        Assert.All(await ledger.SubmitAsync([Hold(5001, 0, 11, 20), Hold(5002, 0, 12, 10)], CancellationToken.None), r => Assert.Equal(TransferResult.Ok, r));
        for (var from = 2; from <= 3000; from += 500)
        {
            var batch = Enumerable.Range(from, Math.Min(500, 3001 - from)).Select(i => Deposit((ulong)i, i % 10, 1)).ToList();
            Assert.All(await ledger.SubmitAsync(batch, CancellationToken.None), r => Assert.Equal(TransferResult.Ok, r));
        }

        Assert.InRange(ledger.KeptTransferCount, 1, 2 * Recent + 2);
        await ledger.StopAsync(CancellationToken.None);
        return store;
    }

    [Fact]
    public async Task Reload_ManySettledTransfers_RightBalancesWithABoundedLog()
    {
        var store = await ManySettledAsync();

        var ledger = await StartAsync(store);

        Assert.InRange(ledger.KeptTransferCount, 1, 2 * Recent + 2);
        var balances = await ledger.AccountsAsync([.. Enumerable.Range(0, 10).Select(Wallet)], CancellationToken.None);
        // Wallet 0: 50 and 300 deposits, 30 of it held; wallet 1 299 (id 1 was wallet 0's 50); the others 300.
        Assert.Equal(TokenAmount.FromTokens(350), balances[0]!.Value.Balance);
        Assert.Equal(TokenAmount.FromTokens(299), balances[1]!.Value.Balance);
        Assert.Equal(TokenAmount.FromTokens(30), TokenAmount.FromBaseUnits(balances[0]!.Value.DebitsPending));
        Assert.All(balances.Skip(2), b => Assert.Equal(TokenAmount.FromTokens(300), b!.Value.Balance));
        Assert.True((await ledger.VerifyStoreAsync(CancellationToken.None)).Balanced);
        await ledger.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Submit_OldIdAfterReload_DeduplicatedAsWithTheWholeLog()
    {
        var store = await ManySettledAsync();
        var ledger = await StartAsync(store);
        var stored = store.TransferCount;

        Assert.Equal([TransferResult.Exists], await ledger.SubmitAsync([Deposit(7, 7, 1)], CancellationToken.None));
        Assert.Equal([TransferResult.ExistsWithDifferentFields], await ledger.SubmitAsync([Deposit(7, 7, 2)], CancellationToken.None));
        Assert.Equal([TransferResult.Exists, TransferResult.Ok], await ledger.SubmitAsync([Deposit(8, 8, 1), Deposit(9001, 8, 1)], CancellationToken.None));
        // An old transfer the rules would refuse now (wallet 9 cannot pay 1,000) is still the transfer it was.
        var old = new PlannedTransfer(Id(9), Wallet(9), Wallet(1), TokenAmount.FromTokens(1_000), TransferCode.Deposit);
        Assert.Equal([TransferResult.ExistsWithDifferentFields], await ledger.SubmitAsync([old], CancellationToken.None));

        Assert.Equal(stored + 1, store.TransferCount);
        Assert.True(await ledger.HasTransferAsync(Id(7), CancellationToken.None));
        Assert.False(await ledger.HasTransferAsync(Id(9002), CancellationToken.None));
        Assert.Equal(TokenAmount.FromTokens(300), (await ledger.AccountsAsync([Wallet(7)], CancellationToken.None))[0]!.Value.Balance);
        Assert.Equal(TokenAmount.FromTokens(301), (await ledger.AccountsAsync([Wallet(8)], CancellationToken.None))[0]!.Value.Balance);
        await ledger.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Resolve_PendingOlderThanMemoryAfterReload_PostsAndVoidsOnce()
    {
        var store = await ManySettledAsync();
        var ledger = await StartAsync(store);

        Assert.Equal([TransferResult.Ok], await ledger.SubmitAsync([Resolve(6001, 5001, 0, 11, 15, post: true)], CancellationToken.None));
        Assert.Equal([TransferResult.Ok], await ledger.SubmitAsync([Resolve(6002, 5002, 0, 12, 0, post: false)], CancellationToken.None));
        // Push both resolutions out of memory, restart, and resolve again under new ids.
        var filler = Enumerable.Range(10_000, 3 * Recent).Select(i => Deposit((ulong)i, 5, 1)).ToList();
        Assert.All(await ledger.SubmitAsync(filler, CancellationToken.None), r => Assert.Equal(TransferResult.Ok, r));
        await ledger.StopAsync(CancellationToken.None);
        ledger = await StartAsync(store);

        Assert.Equal([TransferResult.PendingAlreadyPosted], await ledger.SubmitAsync([Resolve(6003, 5001, 0, 11, 1, post: true)], CancellationToken.None));
        Assert.Equal([TransferResult.PendingAlreadyVoided], await ledger.SubmitAsync([Resolve(6004, 5002, 0, 12, 0, post: false)], CancellationToken.None));
        Assert.Equal([TransferResult.Exists], await ledger.SubmitAsync([Resolve(6001, 5001, 0, 11, 15, post: true)], CancellationToken.None));
        Assert.Equal([TransferResult.PendingNotFound], await ledger.SubmitAsync([Resolve(6005, 7, 7, 0, 1, post: true)], CancellationToken.None));
        var wallets = await ledger.AccountsAsync([Wallet(0), Wallet(11), Wallet(12)], CancellationToken.None);
        Assert.Equal([TokenAmount.FromTokens(350 - 15), TokenAmount.FromTokens(15), TokenAmount.Zero], wallets.Select(w => w!.Value.Balance));
        Assert.Equal(0, wallets[0]!.Value.DebitsPending);
        Assert.True((await ledger.VerifyStoreAsync(CancellationToken.None)).Balanced);
        await ledger.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task History_PagesPastMemory_SameAsWithTheWholeLog()
    {
        var store = await ManySettledAsync();
        var bounded = await StartAsync(store);
        var whole = await StartAsync(store, int.MaxValue);

        foreach (var keys in (AccountKey[][])[[Wallet(0)], [Wallet(3), Wallet(4)], [Wallet(11)]])
        {
            long? before = null;
            var pages = 0;
            while (true)
            {
                var expected = await whole.HistoryAsync(keys, 37, before, CancellationToken.None);
                Assert.Equal(expected, await bounded.HistoryAsync(keys, 37, before, CancellationToken.None));
                pages++;
                if (expected.Count < 37)
                    break;
                before = expected[^1].Sequence;
            }

            Assert.True(pages > 1 || keys[0] == Wallet(11));
        }

        // The newest page of a busy wallet comes from memory alone (memory holds its last 10 to 20 transfers).
        var reads = store.HistoryReads;
        Assert.Equal(5, (await bounded.HistoryAsync([Wallet(3)], 5, null, CancellationToken.None)).Count);
        Assert.Equal(reads, store.HistoryReads);
        await bounded.StopAsync(CancellationToken.None);
        await whole.StopAsync(CancellationToken.None);
    }
}

using Gpunet.Coordinator.Ledger;
using Gpunet.Core.Economics;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.IntegrationTests.Ledger.Ports;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gpunet.IntegrationTests.Ledger;

/// <summary>The ledger service driven directly through its store port, in memory, on a fake clock.</summary>
public sealed class LedgerServicePortTests
{
    private static readonly AccountKey Genesis = AccountKey.Network(AccountPurpose.Genesis);

    internal static async Task<LedgerService> StartAsync(ILedgerStore store, TimeProvider time)
    {
        var ledger = new LedgerService(store, time, new LedgerGenesis(TokenAmount.FromTokens(1_000_000)), NullLogger<LedgerService>.Instance);
        await ledger.StartAsync(CancellationToken.None);
        return ledger;
    }

    private static AccountKey Wallet(int n) => AccountKey.Participant(Address.Parse("0x" + n.ToString("x40", System.Globalization.CultureInfo.InvariantCulture)), AccountPurpose.Available);

    private static PlannedTransfer Deposit(ulong id, int wallet, decimal tokens) =>
        new(TransferId.FromParts(77, id), Genesis, Wallet(wallet), TokenAmount.FromTokens(tokens), TransferCode.Deposit);

    [Fact]
    public async Task Submit_RestartedOnTheSameStore_SameBalancesAndAnOldTransferIsNotAppliedAgain()
    {
        var store = new InMemoryLedgerStore();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2025-03-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var first = await StartAsync(store, time);
        var results = await first.SubmitAsync([.. Enumerable.Range(1, 50).Select(i => Deposit((ulong)i, i % 5, 10))], CancellationToken.None);
        Assert.All(results, r => Assert.Equal(TransferResult.Ok, r));
        await first.StopAsync(CancellationToken.None);

        var again = await StartAsync(store, time);
        var balances = await again.AccountsAsync([.. Enumerable.Range(0, 5).Select(Wallet)], CancellationToken.None);
        Assert.All(balances, b => Assert.Equal(TokenAmount.FromTokens(100), b!.Value.Balance));
        Assert.Equal([TransferResult.Exists], await again.SubmitAsync([Deposit(7, 2, 10)], CancellationToken.None));
        Assert.Equal([TransferResult.ExistsWithDifferentFields], await again.SubmitAsync([Deposit(7, 2, 11)], CancellationToken.None));
        Assert.Equal(TokenAmount.FromTokens(100), (await again.AccountsAsync([Wallet(2)], CancellationToken.None))[0]!.Value.Balance);
        Assert.Equal(10, (await again.HistoryAsync([Wallet(2)], 50, null, CancellationToken.None)).Count);
        await again.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Submit_WorkInTheTransactionFails_NothingIsWrittenAndTheCallerSeesWhy()
    {
        var store = new InMemoryLedgerStore();
        var ledger = await StartAsync(store, new FakeTimeProvider());
        var stored = store.TransferCount;

        var failed = ledger.SubmitAsync([Deposit(1, 1, 10)], (_, _, _, _) => throw new InvalidOperationException("the disk is full"), CancellationToken.None);

        Assert.Equal("the disk is full", (await Assert.ThrowsAsync<InvalidOperationException>(() => failed)).Message);
        Assert.Equal(stored, store.TransferCount);
        Assert.Null((await ledger.AccountsAsync([Wallet(1)], CancellationToken.None))[0]);
        Assert.False(await ledger.HasTransferAsync(TransferId.FromParts(77, 1), CancellationToken.None));
        // The same transfer goes through afterwards: the refused batch left nothing behind, in memory or stored.
        Assert.Equal([TransferResult.Ok], await ledger.SubmitAsync([Deposit(1, 1, 10)], CancellationToken.None));
        await ledger.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Submit_RequestsWithWorkOfTheirOwnQueuedTogether_OneTransaction_OneFailingFailsAlone()
    {
        var store = new InMemoryLedgerStore();
        var ledger = await StartAsync(store, new FakeTimeProvider());
        // The ledger is busy writing a batch whose own work waits: orders with escrow queue behind it meanwhile.
        var release = new TaskCompletionSource();
        var busy = ledger.SubmitAsync([Deposit(1, 1, 10)], async (_, _, _, _) => await release.Task, CancellationToken.None);
        var seen = new List<(int Request, System.Data.Common.DbTransaction Tx)>();
        var queued = Enumerable.Range(2, 4).Select(i => ledger.SubmitAsync([Deposit((ulong)i, i, 10)], (_, tx, results, _) =>
        {
            lock (seen)
                seen.Add((i, tx));
            Assert.All(results, r => Assert.Equal(TransferResult.Ok, r));
            return i == 4 ? throw new InvalidOperationException("order 4 could not be stored") : Task.CompletedTask;
        }, CancellationToken.None)).ToList();

        release.SetResult();
        await busy;
        Assert.Equal("order 4 could not be stored", (await Assert.ThrowsAsync<InvalidOperationException>(() => queued[2])).Message);
        foreach (var i in (int[])[0, 1, 3])
            Assert.Equal([TransferResult.Ok], await queued[i]);

        // First all four in one transaction (the batch), then, after order 4's work failed it, each alone.
        var firstRound = seen.Take(3).ToList();
        Assert.Equal([2, 3, 4], firstRound.Select(x => x.Request));
        Assert.Single(firstRound.Select(x => x.Tx).Distinct());
        var balances = await ledger.AccountsAsync([.. Enumerable.Range(2, 4).Select(Wallet)], CancellationToken.None);
        Assert.Equal([10m, 10m, 0m, 10m], balances.Select(b => b?.Balance.ToTokens() ?? 0m));
        Assert.False(await ledger.HasTransferAsync(TransferId.FromParts(77, 4), CancellationToken.None));
        Assert.True((await ledger.VerifyStoreAsync(CancellationToken.None)).Balanced);
        await ledger.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Submit_AnotherCoordinatorWroteMeanwhile_BothBatchesCountOnce()
    {
        var store = new InMemoryLedgerStore();
        var time = new FakeTimeProvider();
        var a = await StartAsync(store, time);
        var b = await StartAsync(store, time);

        Assert.Equal([TransferResult.Ok], await a.SubmitAsync([Deposit(1, 1, 10)], CancellationToken.None));
        // b decided on the version before a's batch: its write is refused, it reloads and decides again.
        Assert.Equal([TransferResult.Ok], await b.SubmitAsync([Deposit(2, 1, 5)], CancellationToken.None));

        Assert.Equal(TokenAmount.FromTokens(15), (await a.AccountsAsync([Wallet(1)], CancellationToken.None))[0]!.Value.Balance);
        Assert.Equal(TokenAmount.FromTokens(15), (await b.AccountsAsync([Wallet(1)], CancellationToken.None))[0]!.Value.Balance);
        Assert.True((await b.VerifyStoreAsync(CancellationToken.None)).Balanced);
        await a.StopAsync(CancellationToken.None);
        await b.StopAsync(CancellationToken.None);
    }
}

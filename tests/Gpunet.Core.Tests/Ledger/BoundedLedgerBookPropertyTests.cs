using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Tests.Ledger;

/// <summary>A book that keeps only its recent transfers, told of the older ones a batch names, decides every batch as
/// the book that keeps the whole log (the oracle).</summary>
public sealed class BoundedLedgerBookPropertyTests
{
    [Property(MaxTest = 300)]
    public Property Apply_BoundedBookToldOfOldIds_SameResultsAsTheWholeLog() =>
        Prop.ForAll(LedgerGen.ScenarioGen.ToArbitrary(), scenario =>
        {
            var whole = LedgerGen.NewBook(scenario);
            var history = new List<Transfer>();
            foreach (var steps in scenario.Batches)
            {
                var batch = LedgerGen.Build(steps, history);
                // Reloaded before each batch: replaying the log keeps at most 2 × 3 transfers and the open pending ones.
                var bounded = LedgerBook.Restore(whole.Accounts, whole.GenesisAccount, whole.GenesisTotal, whole.Transfers, recentCapacity: 3);
                Assert.True(bounded.KeptTransferCount <= 6 + bounded.OpenPendingCount);
                foreach (var t in batch)
                {
                    foreach (var id in t.PendingId is { } p ? [t.Id, p] : (TransferId[])[t.Id])
                    {
                        if (!bounded.Knows(id) && whole.TryGetTransfer(id, out var old))
                            bounded.Remember(old, whole.PendingStatusOf(id));
                    }
                }

                Assert.Equal(whole.Apply(batch), bounded.Apply(batch));
                Assert.Equal(whole.Snapshot().OrderBy(a => a.Id.Value), bounded.Snapshot().OrderBy(a => a.Id.Value));
                Assert.Equal(whole.TransferCount, bounded.TransferCount);
                bounded.Trim();
                Assert.True(bounded.KeptTransferCount <= 6 + bounded.OpenPendingCount + 2 * batch.Length);
            }
        });

    [Fact]
    public void Trim_ManyTransfers_KeepsTheRecentOnesAndEveryOpenPending()
    {
        var book = Books.Create(1_000_000);
        var hold = new Transfer(new TransferId(1), Books.Genesis, Books.All[1], TokenAmount.FromBaseUnits(10), 0, TransferFlags.Pending);
        Assert.Equal([TransferResult.Ok], book.Apply([hold]));
        var bounded = new LedgerBook(10);
        for (var i = 0; i < 1_000; i++)
        {
            var t = new Transfer(new TransferId((ulong)i + 2), Books.Genesis, Books.All[2], TokenAmount.FromBaseUnits(1), 0, TransferFlags.None);
            Assert.Equal([TransferResult.Ok], book.Apply([t]));
        }

        foreach (var t in book.Transfers)
            bounded.Replay(t);
        bounded.RestoreAccounts(book.Accounts, book.GenesisAccount, book.GenesisTotal);

        Assert.InRange(bounded.KeptTransferCount, 10, 21);
        Assert.Equal(1_001, bounded.TransferCount);
        Assert.Equal(PendingStatus.Pending, bounded.PendingStatusOf(hold.Id));
        var post = new Transfer(new TransferId(5_000), Books.Genesis, Books.All[1], TokenAmount.FromBaseUnits(10), 0, TransferFlags.PostPending, hold.Id);
        Assert.Equal([TransferResult.Ok], bounded.Apply([post]));
        Assert.Equal(book.Balance(Books.All[1]) + TokenAmount.FromBaseUnits(10), bounded.Balance(Books.All[1]));
    }
}

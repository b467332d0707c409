using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Tests.Ledger;

public sealed class LedgerBookPropertyTests
{
    /// <summary>A seed CI found: a transfer refused inside a linked chain that then failed, its id later used with its
    /// fields (the chain was undone, so the id was free again).</summary>
    [Property(MaxTest = 1, Replay = "(1996365413906461141,10833391658186165701,88)")]
    public Property Apply_IdFreedByAFailedLinkedChain_IsUsedAgain() => Apply_RandomBatches_AuditHoldsAndOnlyAcceptedTransfersMoveMoney();

    [Property(MaxTest = 300)]
    public Property Apply_RandomBatches_AuditHoldsAndOnlyAcceptedTransfersMoveMoney() =>
        Prop.ForAll(LedgerGen.ScenarioGen.ToArbitrary(), scenario =>
        {
            var book = LedgerGen.NewBook(scenario);
            var history = new List<Transfer>();
            foreach (var steps in scenario.Batches)
            {
                var batch = LedgerGen.Build(steps, history);
                var before = book.Snapshot().ToDictionary(a => a.Id);
                var results = book.Apply(batch);

                // What the accepted transfers alone should have done; refused ones and retries (Exists) move nothing.
                var expected = before.ToDictionary(a => a.Key, a => a.Value.Counters());
                for (var i = 0; i < batch.Length; i++)
                {
                    var t = batch[i];
                    Assert.True(book.TryGetTransfer(t.Id, out var stored) || !results[i].IsSuccess());
                    if (results[i] == TransferResult.Exists)
                        Assert.True(stored.SameAs(t));
                    // Refused because an earlier transfer under its id differs. (What is stored at the end may be a later
                    // transfer with its fields: one in a failed linked chain is undone, and its id is free again.)
                    if (results[i] == TransferResult.ExistsWithDifferentFields)
                        Assert.Contains(history.Take(history.Count - batch.Length + i), h => h.Id == t.Id && !h.SameAs(t)); // history holds this batch too
                    if (results[i] != TransferResult.Ok)
                        continue;

                    Assert.Equal(t, stored);
                    var (d, c) = (expected[t.Debit], expected[t.Credit]);
                    if ((t.Flags & (TransferFlags.PostPending | TransferFlags.VoidPending)) != 0)
                    {
                        Assert.True(book.TryGetTransfer(t.PendingId!.Value, out var pending));
                        d[0] -= pending.Amount.BaseUnits;
                        c[2] -= pending.Amount.BaseUnits;
                        if ((t.Flags & TransferFlags.PostPending) != 0)
                            (d[1], c[3]) = (d[1] + t.Amount.BaseUnits, c[3] + t.Amount.BaseUnits);
                    }
                    else
                    {
                        var slot = (t.Flags & TransferFlags.Pending) != 0 ? 0 : 1;
                        d[slot] += t.Amount.BaseUnits;
                        c[slot + 2] += t.Amount.BaseUnits;
                    }
                }

                foreach (var a in book.Snapshot())
                    Assert.Equal(expected[a.Id], a.Counters());

                AssertChainsAllOrNothing(batch, results);
                var audit = LedgerAudit.Verify(book);
                Assert.True(audit.Balanced, string.Join("; ", audit.Problems));
                Assert.Equal(scenario.Genesis, audit.SumOfBalances.BaseUnits);
            }
        });

    [Property(MaxTest = 300)]
    public Property Apply_RandomBatches_MatchesTheReferenceLedger() =>
        Prop.ForAll(LedgerGen.ScenarioGen.ToArbitrary(), scenario =>
        {
            var book = LedgerGen.NewBook(scenario);
            var oracle = new ReferenceLedger(Books.All, Books.Genesis, scenario.Genesis);
            Assert.All(oracle.Apply(LedgerGen.Funding(scenario)), r => Assert.Equal(TransferResult.Ok, r));
            var history = new List<Transfer>();
            foreach (var steps in scenario.Batches)
            {
                var batch = LedgerGen.Build(steps, history);
                Assert.Equal(oracle.Apply(batch), book.Apply(batch));
                foreach (var a in book.Snapshot())
                    Assert.Equal(oracle.Counters(a.Id), a.Counters());
                Assert.Equal(oracle.Transfers, book.Transfers);
                foreach (var t in batch)
                    Assert.Equal(oracle.StatusOf(t.Id), book.PendingStatusOf(t.Id));
            }
        });

    [Property(MaxTest = 300)]
    public Property Apply_WholeBatch_SameAsOneTransferAtATime() =>
        Prop.ForAll(LedgerGen.ScenarioGen.ToArbitrary(), scenario =>
        {
            // Linked chains only exist within one batch, so they are left out here.
            var whole = LedgerGen.NewBook(scenario);
            var single = LedgerGen.NewBook(scenario);
            var history = new List<Transfer>();
            foreach (var steps in scenario.Batches)
            {
                var batch = LedgerGen.Build([.. steps.Select(s => s with { Linked = false })], history);
                var results = whole.Apply(batch);
                Assert.Equal(results, batch.Select(t => single.Apply([t])[0]));
                Assert.Equal(whole.Snapshot(), single.Snapshot());
            }

            Assert.Equal(whole.Transfers, single.Transfers);
        });

    [Property(MaxTest = 200)]
    public Property Apply_EveryBatchSentAgain_AcceptedTransfersAreExistsAndMoveNothingTwice() =>
        Prop.ForAll(LedgerGen.ScenarioGen.ToArbitrary(), scenario =>
        {
            var book = LedgerGen.NewBook(scenario);
            var history = new List<Transfer>();
            var sent = new List<(Transfer[] Batch, IReadOnlyList<TransferResult> Results)>();
            foreach (var steps in scenario.Batches)
            {
                var batch = LedgerGen.Build(steps, history);
                sent.Add((batch, book.Apply(batch)));
            }

            var accepted = sent.SelectMany(s => s.Batch.Where((_, i) => s.Results[i] == TransferResult.Ok)).ToList();
            var accounts = book.Snapshot();
            var log = book.Transfers.ToList();

            // Each accepted transfer again, alone (without its chain flag, which is one of its fields, the retry would differ).
            foreach (var t in accepted.Where(t => (t.Flags & TransferFlags.Linked) == 0))
                Assert.Equal(TransferResult.Exists, book.Apply([t with { Timestamp = t.Timestamp + 1 }])[0]);
            Assert.Equal(accounts, book.Snapshot());

            // Every batch again, as a client retrying after a lost reply would: accepted transfers are Exists.
            foreach (var (batch, results) in sent)
            {
                var again = book.Apply(batch);
                for (var i = 0; i < batch.Length; i++)
                {
                    if (results[i] == TransferResult.Ok)
                        Assert.Equal(TransferResult.Exists, again[i]);
                }
            }

            Assert.Equal(log, book.Transfers.Take(log.Count));
            Assert.Equal(book.TransferCount, book.Transfers.Select(t => t.Id).Distinct().Count());
            Assert.True(LedgerAudit.Verify(book).Balanced);
        });

    private static void AssertChainsAllOrNothing(Transfer[] batch, IReadOnlyList<TransferResult> results)
    {
        var start = 0;
        for (var i = 0; i < batch.Length; i++)
        {
            if ((batch[i].Flags & TransferFlags.Linked) != 0 && i < batch.Length - 1)
                continue;
            var chain = results.Skip(start).Take(i - start + 1).ToList();
            Assert.True(chain.All(r => r.IsSuccess()) || chain.All(r => !r.IsSuccess()), string.Join(", ", chain));
            start = i + 1;
        }
    }
}

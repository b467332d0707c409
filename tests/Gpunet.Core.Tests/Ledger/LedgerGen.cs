using FsCheck;
using FsCheck.Fluent;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Tests.Ledger;

/// <summary>FsCheck generators of transfer batches over <see cref="Books"/>' five accounts, with every outcome coming up.</summary>
/// <remarks>
/// A generated <see cref="Step"/> becomes a <see cref="Transfer"/> only when its batch is built, against the transfers
/// sent so far: posts and voids then mostly name a real pending transfer, and replays re-send an earlier
/// transfer as it was or with a field changed.
/// </remarks>
internal static class LedgerGen
{
    public enum Kind
    {
        Plain,
        Pending,
        Post,
        Void,
        Replay,
        OddFlags,
    }

    public sealed record Step(Kind Kind, ulong Id, int Debit, int Credit, long Amount, ushort Code, bool Linked, ulong PendingRef, int Pick, bool Mutate);

    public sealed record Scenario(long Genesis, Step[][] Batches);

    // Mostly existing accounts (1..5); 0 and 6 do not exist.
    private static readonly Gen<int> AccountGen = Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Constant(6)), (20, Gen.Choose(1, 5)));

    private static readonly Gen<long> AmountGen = Gen.Frequency(
        (1, Gen.Constant(0L)),
        (8, Gen.Choose(1, 800).Select(a => (long)a)),
        (1, Gen.Choose(0, 1_000).Select(d => TokenAmount.TotalSupplyBaseUnits - d)),
        (1, from hi in Gen.Choose(0, 42_000) from lo in Gen.Choose(0, int.MaxValue)
            select Math.Min(TokenAmount.TotalSupplyBaseUnits, (hi * 100_000_000_000_000L) + lo)));

    public static readonly Gen<Step> StepGen =
        from kind in Gen.Frequency(
            (5, Gen.Constant(Kind.Plain)), (3, Gen.Constant(Kind.Pending)), (3, Gen.Constant(Kind.Post)),
            (2, Gen.Constant(Kind.Void)), (3, Gen.Constant(Kind.Replay)), (1, Gen.Constant(Kind.OddFlags)))
        from id in Gen.Frequency((1, Gen.Constant(0)), (40, Gen.Choose(1, 400)))
        from debit in AccountGen
        from credit in AccountGen
        from amount in AmountGen
        from code in Gen.Elements<ushort>(1, 2)
        from linked in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from pendingRef in Gen.Choose(0, 60)
        from pick in Gen.Choose(0, 1_000)
        from mutate in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new Step(kind, (ulong)id, debit, credit, amount, code, linked, (ulong)pendingRef, pick, mutate);

    public static readonly Gen<Scenario> ScenarioGen =
        from genesis in Gen.Elements(5_000L, 5_000L, TokenAmount.TotalSupplyBaseUnits)
        from count in Gen.Choose(1, 10)
        from batches in Gen.ArrayOf(Gen.Choose(0, 24).SelectMany(n => Gen.ArrayOf(StepGen, n)), count)
        select new Scenario(genesis, batches);

    /// <summary>The transfers of one batch, built against every transfer sent so far (which it extends).</summary>
    public static Transfer[] Build(Step[] steps, List<Transfer> history)
    {
        var batch = new Transfer[steps.Length];
        for (var i = 0; i < steps.Length; i++)
        {
            var s = steps[i];
            var linked = s.Linked ? TransferFlags.Linked : TransferFlags.None;
            var plain = new Transfer(
                new TransferId(s.Id), new AccountId(s.Debit), new AccountId(s.Credit), TokenAmount.FromBaseUnits(s.Amount), s.Code, linked);
            batch[i] = s.Kind switch
            {
                Kind.Pending => plain with { Flags = linked | TransferFlags.Pending },
                Kind.Post or Kind.Void => Resolution(s, plain, linked, history),
                Kind.Replay when history.Count > 0 => Replay(s, history[s.Pick % history.Count]),
                Kind.OddFlags => plain with
                {
                    Flags = (s.Pick % 3) switch { 0 => TransferFlags.Pending | TransferFlags.VoidPending, 1 => (TransferFlags)32, _ => linked },
                    PendingId = s.Mutate ? new TransferId(s.PendingRef) : null,
                },
                _ => plain,
            };
            history.Add(batch[i]);
        }

        return batch;
    }

    private static Transfer Resolution(Step s, Transfer plain, TransferFlags linked, List<Transfer> history)
    {
        var post = s.Kind == Kind.Post;
        var t = plain with { Flags = linked | (post ? TransferFlags.PostPending : TransferFlags.VoidPending) };
        var pendings = history.Where(h => (h.Flags & TransferFlags.Pending) != 0).ToList();
        if (pendings.Count == 0 || s.Pick % 5 == 0)
            return t with { PendingId = s.PendingRef == 0 && s.Mutate ? null : new TransferId(s.PendingRef) };

        // Mostly a well-formed resolution of a pending transfer sent earlier (which may have failed, or be resolved already).
        var pending = pendings[s.Pick % pendings.Count];
        t = t with { PendingId = pending.Id };
        if (s.Mutate)
            return s.Pick % 2 == 0 ? t with { Debit = pending.Debit, Credit = pending.Credit } : t;
        var amount = post
            ? Math.Min(s.Amount, pending.Amount.BaseUnits)
            : s.Amount % 2 == 0 ? 0 : pending.Amount.BaseUnits;
        return t with { Debit = pending.Debit, Credit = pending.Credit, Amount = TokenAmount.FromBaseUnits(amount) };
    }

    // The same transfer again (a retry, perhaps with a new timestamp), or a different one under its id.
    private static Transfer Replay(Step s, Transfer original)
    {
        if (!s.Mutate)
            return original with { Timestamp = s.Pick };
        return (s.Pick % 3) switch
        {
            0 => original with { Code = (ushort)(original.Code + 1) },
            1 => original with { Amount = TokenAmount.FromBaseUnits(original.Amount.BaseUnits == 0 ? 1 : original.Amount.BaseUnits - 1) },
            _ => original with { Credit = new AccountId(original.Credit.Value % 5 + 1) },
        };
    }

    /// <summary>A ledger for the scenario: <see cref="Books"/>' accounts, its genesis, and a fifth of it given to each other account.</summary>
    public static LedgerBook NewBook(Scenario scenario)
    {
        var book = Books.Create(scenario.Genesis);
        Assert.All(book.Apply(Funding(scenario)), r => Assert.Equal(TransferResult.Ok, r));
        return book;
    }

    /// <summary>The transfers that <see cref="NewBook"/> applies after genesis.</summary>
    public static Transfer[] Funding(Scenario scenario) =>
    [
        .. Books.All.Skip(1).Select((a, i) => new Transfer(
            TransferId.FromParts(1, (ulong)i), Books.Genesis, a, TokenAmount.FromBaseUnits(scenario.Genesis / 5), 0, TransferFlags.None)),
    ];
}

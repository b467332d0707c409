using Gpunet.Core.Ledger;

namespace Gpunet.Core.Tests.Ledger;

/// <summary>The ledger's rules written the slow, obvious way: the oracle that <see cref="LedgerBook"/> is compared with.</summary>
/// <remarks>Linear searches of the log; a linked chain runs on a deep copy of the state that replaces it only when the whole chain succeeds.</remarks>
internal sealed class ReferenceLedger
{
    private sealed record State(Dictionary<AccountId, long[]> Counters, List<(Transfer Transfer, PendingStatus Status)> Log)
    {
        public State Copy() => new(Counters.ToDictionary(c => c.Key, c => (long[])c.Value.Clone()), [.. Log]);
    }

    private const int DebitsPending = 0, DebitsPosted = 1, CreditsPending = 2, CreditsPosted = 3;

    private State _state;

    public ReferenceLedger(IEnumerable<AccountId> accounts, AccountId genesis, long total)
    {
        _state = new State(accounts.ToDictionary(a => a, _ => new long[4]), []);
        _state.Counters[genesis][CreditsPosted] = total;
    }

    public IReadOnlyList<Transfer> Transfers => [.. _state.Log.Select(e => e.Transfer)];

    public long[] Counters(AccountId id) => _state.Counters[id];

    public PendingStatus StatusOf(TransferId id) => _state.Log.FirstOrDefault(e => e.Transfer.Id == id).Status;

    public TransferResult[] Apply(IReadOnlyList<Transfer> batch)
    {
        var results = new TransferResult[batch.Count];
        var i = 0;
        while (i < batch.Count)
        {
            var end = i;
            while (end < batch.Count && batch[end].Flags.HasFlag(TransferFlags.Linked))
                end++;
            if (end == batch.Count)
            {
                for (var k = i; k < batch.Count; k++)
                    results[k] = k == batch.Count - 1 ? TransferResult.LinkedChainOpen : TransferResult.LinkedEventFailed;
                break;
            }

            var trial = _state.Copy();
            var failed = -1;
            for (var k = i; k <= end && failed < 0; k++)
            {
                results[k] = One(trial, batch[k]);
                if (results[k] is not (TransferResult.Ok or TransferResult.Exists))
                    failed = k;
            }

            if (failed < 0)
            {
                _state = trial;
            }
            else
            {
                for (var k = i; k <= end; k++)
                    results[k] = k == failed ? results[k] : TransferResult.LinkedEventFailed;
            }

            i = end + 1;
        }

        return results;
    }

    private static TransferResult One(State s, Transfer t)
    {
        if (t.Id.Value == 0)
            return TransferResult.IdMustNotBeZero;
        var existing = s.Log.FindIndex(e => e.Transfer.Id == t.Id);
        if (existing >= 0)
            return s.Log[existing].Transfer with { Timestamp = 0 } == t with { Timestamp = 0 } ? TransferResult.Exists : TransferResult.ExistsWithDifferentFields;
        if ((int)t.Flags >= 16)
            return TransferResult.UnknownFlags;
        var phases = new[] { TransferFlags.Pending, TransferFlags.PostPending, TransferFlags.VoidPending }.Count(f => t.Flags.HasFlag(f));
        if (phases > 1)
            return TransferResult.FlagsAreMutuallyExclusive;
        var amount = t.Amount.BaseUnits;

        if (t.Flags.HasFlag(TransferFlags.PostPending) || t.Flags.HasFlag(TransferFlags.VoidPending))
        {
            if (t.PendingId is null)
                return TransferResult.PendingIdRequired;
            var p = s.Log.FindIndex(e => e.Transfer.Id == t.PendingId && e.Status != PendingStatus.None);
            if (p < 0)
                return TransferResult.PendingNotFound;
            var (pending, status) = s.Log[p];
            if (pending.Debit != t.Debit || pending.Credit != t.Credit)
                return TransferResult.PendingAccountsMismatch;
            if (status != PendingStatus.Pending)
                return status == PendingStatus.Posted ? TransferResult.PendingAlreadyPosted : TransferResult.PendingAlreadyVoided;
            var d = s.Counters[t.Debit];
            var c = s.Counters[t.Credit];
            var post = t.Flags.HasFlag(TransferFlags.PostPending);
            if (post && amount == 0)
                return TransferResult.AmountMustBePositive;
            if (post && amount > pending.Amount.BaseUnits)
                return TransferResult.PostExceedsPending;
            if (post && ((Int128)d[DebitsPosted] + amount > long.MaxValue || (Int128)c[CreditsPosted] + amount > long.MaxValue))
                return TransferResult.Overflow;
            if (!post && amount != 0 && amount != pending.Amount.BaseUnits)
                return TransferResult.VoidAmountMismatch;

            d[DebitsPending] -= pending.Amount.BaseUnits;
            c[CreditsPending] -= pending.Amount.BaseUnits;
            if (post)
            {
                d[DebitsPosted] += amount;
                c[CreditsPosted] += amount;
            }

            s.Log[p] = (pending, post ? PendingStatus.Posted : PendingStatus.Voided);
            s.Log.Add((t, PendingStatus.None));
            return TransferResult.Ok;
        }

        if (t.PendingId is not null)
            return TransferResult.PendingIdMustBeNull;
        if (amount == 0)
            return TransferResult.AmountMustBePositive;
        if (t.Debit == t.Credit)
            return TransferResult.SameAccount;
        if (!s.Counters.TryGetValue(t.Debit, out var debit) || !s.Counters.TryGetValue(t.Credit, out var credit))
            return TransferResult.AccountNotFound;
        if (debit[CreditsPosted] - debit[DebitsPosted] - debit[DebitsPending] < amount)
            return TransferResult.InsufficientFunds;
        var isPending = t.Flags.HasFlag(TransferFlags.Pending);
        int ds = isPending ? DebitsPending : DebitsPosted, cs = isPending ? CreditsPending : CreditsPosted;
        if ((Int128)debit[ds] + amount > long.MaxValue || (Int128)credit[cs] + amount > long.MaxValue)
            return TransferResult.Overflow;
        debit[ds] += amount;
        credit[cs] += amount;
        s.Log.Add((t, isPending ? PendingStatus.Pending : PendingStatus.None));
        return TransferResult.Ok;
    }
}

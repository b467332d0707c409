namespace Gpunet.Core.Ledger;

/// <summary>Applies a batch of transfers to the accounts and the log: each valid transfer moves (or reserves, or
/// releases) its amount and is appended; a linked chain is all or nothing, rolled back from the log on its first
/// refusal.</summary>
/// <remarks><see cref="TransferValidator"/> decides; this only moves counters, so that money is neither created nor
/// lost: every change adds to one account what it takes from another. Allocates nothing per transfer beyond growing
/// the log and its id index. Not thread-safe.</remarks>
internal sealed class TransferPosting(LedgerAccounts accounts, TransferLog log)
{
    private readonly TransferValidator _validator = new(accounts, log);
    private readonly List<Transfer> _resolvedInChain = []; // pendings a linked chain resolved: a rollback reopens them

    /// <summary>Applies a batch in order, writing one result per transfer into <paramref name="results"/>.</summary>
    public void Apply(ReadOnlySpan<Transfer> batch, Span<TransferResult> results)
    {
        if (results.Length < batch.Length)
            throw new ArgumentException("one result slot per transfer is needed", nameof(results));
        log.Reserve(batch.Length);

        var i = 0;
        while (i < batch.Length)
        {
            _resolvedInChain.Clear();
            if ((batch[i].Flags & TransferFlags.Linked) == 0)
            {
                results[i] = ApplyOne(in batch[i]);
                i++;
                continue;
            }

            // A chain runs from i to the first transfer without the linked flag.
            var end = i;
            while (end < batch.Length && (batch[end].Flags & TransferFlags.Linked) != 0)
                end++;
            if (end == batch.Length)
            {
                results[i..batch.Length].Fill(TransferResult.LinkedEventFailed);
                results[batch.Length - 1] = TransferResult.LinkedChainOpen;
                break;
            }

            var mark = log.Count;
            var failed = -1;
            for (var k = i; k <= end; k++)
            {
                results[k] = ApplyOne(in batch[k]);
                if (!results[k].IsSuccess())
                {
                    failed = k;
                    break;
                }
            }

            if (failed >= 0)
            {
                Rollback(mark);
                for (var k = i; k <= end; k++)
                {
                    if (k != failed)
                        results[k] = TransferResult.LinkedEventFailed;
                }
            }

            i = end + 1;
        }

        _resolvedInChain.Clear();
    }

    private TransferResult ApplyOne(in Transfer t)
    {
        var result = _validator.Validate(in t, out var valid);
        if (result == TransferResult.Ok)
            Post(in t, ref valid);
        return result;
    }

    private void Post(in Transfer t, ref ValidTransfer v)
    {
        var amount = t.Amount.BaseUnits;
        switch (v.Phase)
        {
            case TransferFlags.None:
                v.Debit.DebitsPosted += amount;
                v.Credit.CreditsPosted += amount;
                log.Append(in t, PendingStatus.None, -1);
                break;
            case TransferFlags.Pending:
                v.Debit.DebitsPending += amount;
                v.Credit.CreditsPending += amount;
                log.Append(in t, PendingStatus.Pending, -1);
                break;
            default:
                var post = v.Phase == TransferFlags.PostPending;
                if (post)
                {
                    v.Debit.DebitsPosted += amount;
                    v.Credit.CreditsPosted += amount;
                }

                log.Resolve(in v.Pending, v.PendingPosition, post ? PendingStatus.Posted : PendingStatus.Voided);
                _resolvedInChain.Add(v.Pending);
                // Posting moves at most the reserved amount, so the debit account's available balance never drops here.
                var reserved = v.Pending.Amount.BaseUnits;
                v.Debit.DebitsPending -= reserved;
                v.Credit.CreditsPending -= reserved;
                log.Append(in t, PendingStatus.None, v.PendingPosition);
                break;
        }
    }

    // Undoes the log from its end back to `mark`, newest first, so a post is undone before its pending transfer.
    private void Rollback(long mark)
    {
        for (var position = log.Count - 1; position >= mark; position--)
        {
            var e = log.At(position);
            var amount = e.Transfer.Amount.BaseUnits;
            ref var debit = ref accounts.Counters(e.Transfer.Debit);
            ref var credit = ref accounts.Counters(e.Transfer.Credit);
            if ((e.Transfer.Flags & (TransferFlags.PostPending | TransferFlags.VoidPending)) != 0)
            {
                var pendingId = e.Transfer.PendingId;
                var pending = _resolvedInChain.Find(p => p.Id == pendingId);
                var reserved = pending.Amount.BaseUnits;
                debit.DebitsPending += reserved;
                credit.CreditsPending += reserved;
                if ((e.Transfer.Flags & TransferFlags.PostPending) != 0)
                {
                    debit.DebitsPosted -= amount;
                    credit.CreditsPosted -= amount;
                }

                log.Reopen(in pending, e.PendingPosition);
            }
            else if (e.Status != PendingStatus.None)
            {
                debit.DebitsPending -= amount;
                credit.CreditsPending -= amount;
            }
            else
            {
                debit.DebitsPosted -= amount;
                credit.CreditsPosted -= amount;
            }
        }

        log.TruncateTo(mark);
    }
}

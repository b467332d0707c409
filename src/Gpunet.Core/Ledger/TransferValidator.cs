using System.Runtime.CompilerServices;

namespace Gpunet.Core.Ledger;

/// <summary>The rules a transfer must pass before it moves money: its id, flags and amount, its accounts and their
/// available balance, the pending transfer it resolves, and no counter past <see cref="long.MaxValue"/>.</summary>
/// <remarks>Reads only: a refused transfer changes nothing. The checks run in a fixed order, so that a transfer
/// with several faults gets the same result from every store.</remarks>
internal sealed class TransferValidator(LedgerAccounts accounts, TransferLog log)
{
    private const TransferFlags Known = TransferFlags.Linked | TransferFlags.Pending | TransferFlags.PostPending | TransferFlags.VoidPending;
    private const TransferFlags Phases = TransferFlags.Pending | TransferFlags.PostPending | TransferFlags.VoidPending;

    /// <summary><see cref="TransferResult.Ok"/> with what posting needs in <paramref name="valid"/>, or why not.</summary>
    public TransferResult Validate(in Transfer t, out ValidTransfer valid)
    {
        valid = default;
        if (t.Id.Value == UInt128.Zero)
            return TransferResult.IdMustNotBeZero;
        if (log.TryFind(t.Id, out var existing, out _, out _))
            return existing.SameAs(in t) ? TransferResult.Exists : TransferResult.ExistsWithDifferentFields;
        if ((t.Flags & ~Known) != 0)
            return TransferResult.UnknownFlags;
        var phase = t.Flags & Phases;
        if (phase is not (TransferFlags.None or TransferFlags.Pending or TransferFlags.PostPending or TransferFlags.VoidPending))
            return TransferResult.FlagsAreMutuallyExclusive;
        valid.Phase = phase;
        return phase is TransferFlags.PostPending or TransferFlags.VoidPending ? ValidateResolve(in t, ref valid) : ValidateNew(in t, ref valid);
    }

    // A plain or pending transfer: it moves (or reserves) money the debit account has available.
    private TransferResult ValidateNew(in Transfer t, ref ValidTransfer valid)
    {
        if (t.PendingId is not null)
            return TransferResult.PendingIdMustBeNull;
        var amount = t.Amount.BaseUnits;
        if (amount == 0)
            return TransferResult.AmountMustBePositive;
        if (t.Debit == t.Credit)
            return TransferResult.SameAccount;
        valid.Debit = ref accounts.Counters(t.Debit);
        valid.Credit = ref accounts.Counters(t.Credit);
        if (Unsafe.IsNullRef(ref valid.Debit) || Unsafe.IsNullRef(ref valid.Credit))
            return TransferResult.AccountNotFound;
        ref readonly var debit = ref valid.Debit;
        ref readonly var credit = ref valid.Credit;
        if (debit.CreditsPosted - debit.DebitsPosted - debit.DebitsPending < amount)
            return TransferResult.InsufficientFunds;
        var overflows = valid.Phase == TransferFlags.Pending
            ? Overflows(debit.DebitsPending, amount) || Overflows(credit.CreditsPending, amount)
            : Overflows(debit.DebitsPosted, amount) || Overflows(credit.CreditsPosted, amount);
        return overflows ? TransferResult.Overflow : TransferResult.Ok;
    }

    // A post or void of an open pending transfer between the same accounts; a post moves at most what it reserved,
    // a void names its whole amount or none.
    private TransferResult ValidateResolve(in Transfer t, ref ValidTransfer valid)
    {
        if (t.PendingId is not { } pendingId)
            return TransferResult.PendingIdRequired;
        // An open pending transfer is always kept; a resolved one only while recent or remembered.
        if (!log.TryFind(pendingId, out valid.Pending, out var status, out valid.PendingPosition) || status == PendingStatus.None)
            return TransferResult.PendingNotFound;
        if (t.Debit != valid.Pending.Debit || t.Credit != valid.Pending.Credit)
            return TransferResult.PendingAccountsMismatch;
        if (status == PendingStatus.Posted)
            return TransferResult.PendingAlreadyPosted;
        if (status == PendingStatus.Voided)
            return TransferResult.PendingAlreadyVoided;

        var reserved = valid.Pending.Amount.BaseUnits;
        var amount = t.Amount.BaseUnits;
        valid.Debit = ref accounts.Counters(t.Debit);
        valid.Credit = ref accounts.Counters(t.Credit);
        if (valid.Phase == TransferFlags.PostPending)
        {
            if (amount == 0)
                return TransferResult.AmountMustBePositive;
            if (amount > reserved)
                return TransferResult.PostExceedsPending;
            if (Overflows(valid.Debit.DebitsPosted, amount) || Overflows(valid.Credit.CreditsPosted, amount))
                return TransferResult.Overflow;
        }
        else if (amount != 0 && amount != reserved)
        {
            return TransferResult.VoidAmountMismatch;
        }

        return TransferResult.Ok;
    }

    private static bool Overflows(long counter, long amount) => counter > long.MaxValue - amount;
}

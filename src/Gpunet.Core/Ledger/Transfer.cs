namespace Gpunet.Core.Ledger;

/// <summary>One double-entry transfer: <paramref name="Amount"/> leaves <paramref name="Debit"/> and arrives in <paramref name="Credit"/>.</summary>
/// <param name="Id">Client-chosen idempotency id: the same transfer twice posts once; another transfer under a used id is refused.</param>
/// <param name="Code">What the transfer is for (fee, stake, refund, …), chosen by the caller; the ledger does not interpret it.</param>
/// <param name="PendingId">For <see cref="TransferFlags.PostPending"/> and <see cref="TransferFlags.VoidPending"/>: the pending transfer to resolve; otherwise null.</param>
/// <param name="Timestamp">When the caller made it (the caller's clock, e.g. Unix milliseconds); kept but not interpreted, and not compared when a retry is matched to the original.</param>
/// <remarks>
/// A post names the pending transfer's own debit and credit accounts and moves 1 up to the pending amount; a void names
/// the same accounts and carries 0 or the pending amount. Transfers are immutable once applied.
/// </remarks>
public readonly record struct Transfer(
    TransferId Id,
    AccountId Debit,
    AccountId Credit,
    TokenAmount Amount,
    ushort Code,
    TransferFlags Flags,
    TransferId? PendingId = null,
    long Timestamp = 0)
{
    /// <summary>True when this is the same transfer as <paramref name="other"/>: every field but the timestamp equal.</summary>
    public bool SameAs(in Transfer other) =>
        Id == other.Id && Debit == other.Debit && Credit == other.Credit && Amount == other.Amount
        && Code == other.Code && Flags == other.Flags && PendingId == other.PendingId;
}

using Gpunet.Coordinator.Storage;
using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>A transfer as the <c>ledger_transfers</c> table stores it, and back.</summary>
internal static class LedgerRows
{
    /// <summary>The row of <paramref name="t"/> at log position <paramref name="sequence"/> (from 1).</summary>
    public static LedgerTransferRecord Row(in Transfer t, long sequence) => new()
    {
        IdHigh = (long)t.Id.High,
        IdLow = (long)t.Id.Low,
        DebitAccountId = t.Debit.Value,
        CreditAccountId = t.Credit.Value,
        Amount = t.Amount.BaseUnits,
        Code = t.Code,
        Flags = (int)t.Flags,
        PendingIdHigh = t.PendingId is { } p ? (long)p.High : null,
        PendingIdLow = t.PendingId is { } q ? (long)q.Low : null,
        Timestamp = t.Timestamp,
        Sequence = sequence,
    };

    /// <summary>The transfer a row holds.</summary>
    public static Transfer Transfer(LedgerTransferRecord t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new Transfer(
            TransferId.FromParts((ulong)t.IdHigh, (ulong)t.IdLow), new AccountId(t.DebitAccountId), new AccountId(t.CreditAccountId),
            TokenAmount.FromBaseUnits(t.Amount), (ushort)t.Code, (TransferFlags)t.Flags,
            t.PendingIdHigh is { } ph && t.PendingIdLow is { } pl ? TransferId.FromParts((ulong)ph, (ulong)pl) : null, t.Timestamp);
    }
}

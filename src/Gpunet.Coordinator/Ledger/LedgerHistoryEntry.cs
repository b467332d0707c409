using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>One transfer as an account's history shows it.</summary>
/// <param name="Sequence">Its position in the ledger's log, from 1.</param>
internal sealed record LedgerHistoryEntry(
    long Sequence, TransferId Id, AccountKey Debit, AccountKey Credit, TokenAmount Amount, TransferCode Code, TransferFlags Flags,
    TransferId? PendingId, DateTimeOffset At);

using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>A transfer the economics decided, named by account keys; the caller maps the keys to account ids and applies it.</summary>
/// <param name="Id">Deterministic: planning the same epoch again gives the same ids, so applying a plan twice posts it once.</param>
/// <param name="PendingId">For a post or void: the pending hold it resolves.</param>
public readonly record struct PlannedTransfer(
    TransferId Id,
    AccountKey Debit,
    AccountKey Credit,
    TokenAmount Amount,
    TransferCode Code,
    TransferFlags Flags = TransferFlags.None,
    TransferId? PendingId = null);

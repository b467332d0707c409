using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>A transfer named by account keys rather than ids: what economic rules produce and the coordinator's
/// ledger service resolves (creating accounts as needed) and applies.</summary>
public readonly record struct PlannedTransfer(
    TransferId Id,
    AccountKey Debit,
    AccountKey Credit,
    TokenAmount Amount,
    TransferCode Code,
    TransferFlags Flags = TransferFlags.None,
    TransferId? PendingId = null);

using System.Data.Common;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>One submission to the ledger, queued for its writer: transfers in order, more work that commits with them,
/// and the answer given once they are durable.</summary>
internal sealed record LedgerRequest(
    IReadOnlyList<PlannedTransfer> Transfers,
    Func<DbConnection, DbTransaction, TransferResult[], CancellationToken, Task>? InTransaction,
    TaskCompletionSource<TransferResult[]> Done);

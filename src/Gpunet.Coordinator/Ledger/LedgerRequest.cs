using System.Data.Common;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>One submission to the ledger, queued for its writer: transfers in order, more work that commits with them,
/// and the answer given once they are durable.</summary>
/// <param name="Prelude">Work of the same transaction that needs no result: it runs first (<see cref="LedgerWrite.Prelude"/>).</param>
internal sealed record LedgerRequest(
    IReadOnlyList<PlannedTransfer> Transfers,
    Func<DbConnection, DbTransaction, TransferResult[], CancellationToken, Task>? InTransaction,
    TaskCompletionSource<TransferResult[]> Done,
    Func<DbConnection, DbTransaction, CancellationToken, Task>? Prelude = null);

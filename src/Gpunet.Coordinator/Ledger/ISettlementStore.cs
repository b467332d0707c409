using System.Data.Common;
using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Where a settlement's own rows go: the port <see cref="EpochService"/> writes through, inside the ledger's
/// transaction for the settlement's transfers (<see cref="StoredSettlementStore"/>; an in-memory one in tests).</summary>
internal interface ISettlementStore
{
    /// <summary>The work that commits <paramref name="write"/> with the settlement's transfers; it fails (and so writes
    /// nothing) when the epoch is already settled.</summary>
    SettlementCommit Commit(SettlementWrite write);
}

/// <summary>A settlement's own work in the ledger's transaction, in two parts.</summary>
/// <param name="Rows">What needs none of the transfers' results (the epoch's row, the usage and slash events taken,
/// unbonding released, tranches): first in the transaction, written while the transfers are still being decided
/// (<see cref="LedgerWrite.Prelude"/>).</param>
/// <param name="Holds">What needs them (the leases' billing with the holds the ledger took): after the transfers.</param>
internal sealed record SettlementCommit(
    Func<DbConnection, DbTransaction, CancellationToken, Task> Rows,
    Func<DbConnection, DbTransaction, TransferResult[], CancellationToken, Task> Holds);

using System.Data.Common;
using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Where a settlement's own rows go: the port <see cref="EpochService"/> writes through, inside the ledger's
/// transaction for the settlement's transfers (<see cref="StoredSettlementStore"/>; an in-memory one in tests).</summary>
internal interface ISettlementStore
{
    /// <summary>The work that commits <paramref name="write"/> with the settlement's transfers, given their results;
    /// it fails (and so writes nothing) when the epoch is already settled.</summary>
    Func<DbConnection, DbTransaction, TransferResult[], CancellationToken, Task> Commit(SettlementWrite write);
}

using System.Data.Common;
using Gpunet.Coordinator.Ledger;
using Gpunet.Core.Ledger;

namespace Gpunet.SettlementCrashHost;

/// <summary>A settlement store that writes everything a settlement writes, then kills the process before the
/// transaction commits: like a power cut at the worst moment.</summary>
internal sealed class KilledSettlementStore(ISettlementStore inner) : ISettlementStore
{
    /// <summary>What the process prints just before it dies (the test looks for it).</summary>
    public const string Marker = "SETTLEMENT-CRASH";

    public Func<DbConnection, DbTransaction, TransferResult[], CancellationToken, Task> Commit(SettlementWrite write)
    {
        var step = inner.Commit(write);
        return async (connection, tx, results, ct) =>
        {
            await step(connection, tx, results, ct);
            await KilledCommit.KillAsync(Marker, $"the settlement of epoch {write.Record.Epoch}");
        };
    }
}

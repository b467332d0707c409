using Gpunet.Coordinator.Ledger;

namespace Gpunet.SettlementCrashHost;

/// <summary>A settlement store that writes everything a settlement writes, then kills the process before the
/// transaction commits: like a power cut at the worst moment.</summary>
internal sealed class KilledSettlementStore(ISettlementStore inner) : ISettlementStore
{
    /// <summary>What the process prints just before it dies (the test looks for it).</summary>
    public const string Marker = "SETTLEMENT-CRASH";

    public SettlementCommit Commit(SettlementWrite write)
    {
        var steps = inner.Commit(write);
        return steps with
        {
            Holds = async (connection, tx, results, ct) =>
            {
                await steps.Holds(connection, tx, results, ct);
                await KilledCommit.KillAsync(Marker, $"the settlement of epoch {write.Record.Epoch}");
            },
        };
    }
}

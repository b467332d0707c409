using System.Data.Common;
using Gpunet.Coordinator.Storage;

namespace Gpunet.Coordinator.Ledger;

/// <summary>One atomic write of the ledger service.</summary>
/// <param name="ExpectedVersion">The ledger version this coordinator last saw; null skips the check (benchmarks, tests).</param>
/// <param name="NewAccounts">Accounts the batch creates, with their names.</param>
/// <param name="InTransaction">More work that must commit with the batch or not at all (e.g. an epoch marked settled).</param>
internal sealed record LedgerWrite(
    long? ExpectedVersion,
    IReadOnlyList<(long Id, string Key)> NewAccounts,
    IReadOnlyList<LedgerTransferRecord> Transfers,
    IReadOnlyList<LedgerAccountDelta> Deltas,
    Func<DbConnection, DbTransaction, CancellationToken, Task>? InTransaction);

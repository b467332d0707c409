using System.Data.Common;
using System.Threading.Channels;
using Gpunet.Coordinator.Storage;

namespace Gpunet.Coordinator.Ledger;

/// <summary>One atomic write of the ledger service.</summary>
/// <param name="ExpectedVersion">The ledger version this coordinator last saw; null skips the check (benchmarks, tests).</param>
/// <param name="NewAccounts">Accounts the batch creates, with their names.</param>
/// <param name="InTransaction">More work that must commit with the batch or not at all, after its rows (e.g. the
/// leases' holds as the transfers' results left them).</param>
/// <param name="Prelude">Work of the same transaction that needs no result, first in it (e.g. the settlement's own
/// rows): in a streamed write it runs while the batch is still being decided.</param>
internal sealed record LedgerWrite(
    long? ExpectedVersion,
    IReadOnlyList<(long Id, string Key)> NewAccounts,
    IReadOnlyList<LedgerTransferRecord> Transfers,
    IReadOnlyList<LedgerAccountDelta> Deltas,
    Func<DbConnection, DbTransaction, CancellationToken, Task>? InTransaction,
    Func<DbConnection, DbTransaction, CancellationToken, Task>? Prelude = null);

/// <summary>The rows of part of a large batch, decided while the parts before it are written.</summary>
internal sealed record LedgerSlice(IReadOnlyList<(long Id, string Key)> NewAccounts, IReadOnlyList<LedgerTransferRecord> Transfers);

/// <summary>One atomic write of a large batch, streamed: the version check and <see cref="LedgerWrite.Prelude"/> of
/// <paramref name="Head"/> first, then each slice as it is decided, then <paramref name="Rest"/> (the last rows, every
/// account's totals and the work that needs the results) once the whole batch is decided. A failed
/// <paramref name="Rest"/> rolls everything back.</summary>
/// <remarks>On two cores the ledger's rules and the store's writes then run side by side, as the two halves of one
/// transaction: an epoch's settlement (300,000 transfers) is decided in about the time its rows take to write.</remarks>
internal sealed record LedgerStream(LedgerWrite Head, ChannelReader<LedgerSlice> Slices, Task<LedgerWrite> Rest);

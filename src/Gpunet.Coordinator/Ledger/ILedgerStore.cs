using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Where the ledger service keeps the ledger: the port <see cref="LedgerService"/> reads and writes through
/// (<see cref="StoredLedgerStore"/> over the database; an in-memory one in tests).</summary>
internal interface ILedgerStore
{
    /// <summary>The ledger's version as stored: bumped by every batch any coordinator writes; 0 before the first.</summary>
    Task<long> VersionAsync(CancellationToken ct);

    /// <summary>Everything stored, of one moment: accounts, genesis and version, with every transfer handed to
    /// <paramref name="replay"/> in log order, oldest first (streamed: the store does not hold the log in memory).</summary>
    Task<StoredLedger> ReadAsync(Action<Transfer> replay, CancellationToken ct);

    /// <summary>The stored transfers with these ids (by primary key); ids not stored are left out.</summary>
    Task<IReadOnlyList<Transfer>> FindAsync(IReadOnlyCollection<TransferId> ids, CancellationToken ct);

    /// <summary>The stored posts and voids that resolve these pending transfers.</summary>
    /// <remarks>No index covers the pending id: a scan. Only asked for pending transfers older than the recent log.</remarks>
    Task<IReadOnlyList<Transfer>> ResolutionsAsync(IReadOnlyCollection<TransferId> pendingIds, CancellationToken ct);

    /// <summary>Stored transfers that debit or credit any of <paramref name="accounts"/>, with log position (sequence,
    /// from 1) below <paramref name="before"/>, newest first, at most <paramref name="limit"/>.</summary>
    /// <remarks>No index covers the account columns (they would cost two thirds of the write rate): a scan. Only asked
    /// for history older than the recent log.</remarks>
    Task<IReadOnlyList<(long Sequence, Transfer Transfer)>> HistoryAsync(
        IReadOnlyCollection<AccountId> accounts, long before, int limit, CancellationToken ct);

    /// <summary>Writes one batch atomically: version check, new accounts, transfers, account totals, then
    /// <see cref="LedgerWrite.InTransaction"/>; all of it or nothing.</summary>
    /// <exception cref="LedgerConflictException">Another coordinator wrote since <see cref="LedgerWrite.ExpectedVersion"/>.</exception>
    Task WriteAsync(LedgerWrite write, CancellationToken ct);

    /// <summary>Writes a streamed batch atomically (<see cref="LedgerStream"/>); by default gathered and written as one
    /// <see cref="LedgerWrite"/> once the whole batch is decided.</summary>
    /// <exception cref="LedgerConflictException">Another coordinator wrote since the head's expected version.</exception>
    async Task WriteAsync(LedgerStream stream, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var accounts = new List<(long Id, string Key)>();
        var transfers = new List<Storage.LedgerTransferRecord>();
        await foreach (var slice in stream.Slices.ReadAllAsync(ct))
        {
            accounts.AddRange(slice.NewAccounts);
            transfers.AddRange(slice.Transfers);
        }

        var rest = await stream.Rest;
        await WriteAsync(rest with
        {
            ExpectedVersion = stream.Head.ExpectedVersion, NewAccounts = [.. accounts, .. rest.NewAccounts], Transfers = [.. transfers, .. rest.Transfers],
            Prelude = stream.Head.Prelude,
        }, ct);
    }

    /// <summary>Writes the genesis batch (<paramref name="write"/>) and records that <paramref name="total"/> was
    /// created in <paramref name="account"/>, atomically; fails when a genesis is already stored.</summary>
    Task WriteGenesisAsync(LedgerWrite write, AccountId account, TokenAmount total, CancellationToken ct);
}

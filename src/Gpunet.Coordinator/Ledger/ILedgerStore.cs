using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Where the ledger service keeps the ledger: the port <see cref="LedgerService"/> reads and writes through
/// (<see cref="StoredLedgerStore"/> over the database; an in-memory one in tests).</summary>
internal interface ILedgerStore
{
    /// <summary>The ledger's version as stored: bumped by every batch any coordinator writes; 0 before the first.</summary>
    Task<long> VersionAsync(CancellationToken ct);

    /// <summary>Everything stored, of one moment: accounts, genesis, version and the transfer log in order.</summary>
    Task<StoredLedger> ReadAsync(CancellationToken ct);

    /// <summary>Writes one batch atomically: version check, new accounts, transfers, account totals, then
    /// <see cref="LedgerWrite.InTransaction"/>; all of it or nothing.</summary>
    /// <exception cref="LedgerConflictException">Another coordinator wrote since <see cref="LedgerWrite.ExpectedVersion"/>.</exception>
    Task WriteAsync(LedgerWrite write, CancellationToken ct);

    /// <summary>Writes the genesis batch (<paramref name="write"/>) and records that <paramref name="total"/> was
    /// created in <paramref name="account"/>, atomically; fails when a genesis is already stored.</summary>
    Task WriteGenesisAsync(LedgerWrite write, AccountId account, TokenAmount total, CancellationToken ct);
}

using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>The ledger's accounts as a store holds them, of one moment (its transfers are streamed, not held).</summary>
/// <param name="Version">The ledger version (see <see cref="ILedgerStore.VersionAsync"/>).</param>
/// <param name="MaxAccountId">The largest account id in use (0 when none): new accounts are numbered after it.</param>
internal sealed record StoredLedger(
    long Version, AccountId? GenesisAccount, TokenAmount GenesisTotal, IReadOnlyList<LedgerAccount> Accounts, long MaxAccountId);

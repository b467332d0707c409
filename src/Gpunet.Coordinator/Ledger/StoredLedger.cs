using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>The ledger as a store holds it, of one moment.</summary>
/// <param name="Version">The ledger version (see <see cref="ILedgerStore.VersionAsync"/>).</param>
/// <param name="MaxAccountId">The largest account id in use (0 when none): new accounts are numbered after it.</param>
internal sealed record StoredLedger(
    long Version, AccountId? GenesisAccount, TokenAmount GenesisTotal, IReadOnlyList<LedgerAccount> Accounts, IReadOnlyList<Transfer> Transfers, long MaxAccountId);

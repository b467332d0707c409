using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>What the ledger's genesis puts where: the whole supply is created in <c>network:genesis</c> (the reserve
/// that deposits come from and withdrawals return to) and <paramref name="EmissionPool"/> of it moves to
/// <c>network:emission-pool</c>, out of which rewards are paid on the emission schedule.</summary>
internal sealed record LedgerGenesis(TokenAmount EmissionPool);

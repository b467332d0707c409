using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>What an epoch's settlement moved, summed by kind.</summary>
/// <param name="Fees">Charged to customers: <paramref name="HostFees"/> + <paramref name="ProtocolFees"/>.</param>
/// <param name="Emission">Paid from the emission pool: capacity + delivery + checker rewards (a share nobody earned stays in the pool).</param>
/// <param name="Slashed">Taken from vesting and stake into <c>network:slashed</c>.</param>
/// <param name="Refunds">Unused reserve escrow returned to customers.</param>
/// <param name="Hosts">Containers in the inputs.</param>
/// <param name="Leases">Leases in the inputs.</param>
/// <param name="SlaCredits">Paid back to customers of tiered leases that fell short, from hosts' vesting and stake.</param>
public sealed record EpochTotals(
    TokenAmount Fees,
    TokenAmount HostFees,
    TokenAmount ProtocolFees,
    TokenAmount Emission,
    TokenAmount CapacityRewards,
    TokenAmount DeliveryRewards,
    TokenAmount CheckerRewards,
    TokenAmount Slashed,
    TokenAmount Refunds,
    TokenAmount VestingReleased,
    TokenAmount UnbondingReleased,
    int Hosts,
    int Leases,
    TokenAmount SlaCredits);

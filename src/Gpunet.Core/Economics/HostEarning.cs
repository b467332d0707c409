using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>What one container earned and gave up in one epoch's settlement, as its transfers moved it (they name the
/// operator's vesting account, not the container, so the settlement keeps this too).</summary>
/// <param name="Operator">The wallet its fees and rewards vest in.</param>
/// <param name="Capacity">Proof of Capacity reward.</param>
/// <param name="Delivery">Proof of Delivery reward.</param>
/// <param name="Fees">The host's share of its leases' fees.</param>
/// <param name="Slashed">Taken for its slashes, from the operator's vesting and from its stake.</param>
/// <param name="Credited">Paid back to its leases' customers as SLA credits, from vesting and stake.</param>
public sealed record HostEarning(
    HostId Host,
    Address Operator,
    TokenAmount Capacity,
    TokenAmount Delivery,
    TokenAmount Fees,
    TokenAmount Slashed,
    TokenAmount Credited)
{
    /// <summary>Capacity + delivery + fees: what it earned before slashes and credits.</summary>
    public TokenAmount Earned => Capacity + Delivery + Fees;
}

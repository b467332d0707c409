using Gpunet.Core.Hosts;

namespace Gpunet.Core.Economics;

/// <summary>The plan for one epoch: the transfers to apply, in order, and the state to keep after them.</summary>
/// <param name="Transfers">To apply in this order (posts before the fees they fund, credits to vesting before slashes and releases).</param>
/// <param name="Tranches">Every vesting tranche after this epoch: changed ones, the new ones, without the fully released ones.</param>
/// <param name="ReleasedUnbonding">Ids of the unbonding entries released.</param>
/// <param name="BelowStake">Containers whose stake is below their required stake after this epoch: paused until topped up.</param>
/// <param name="NewHolds">The on-demand holds placed for the next period.</param>
/// <param name="Credits">What each SLA claim came to: fees to date, the credit due, what was paid and what the host
/// could not cover.</param>
/// <param name="Earnings">Per container with any: its rewards, fees, slashes and credits this epoch, by host id.</param>
public sealed record EpochSettlement(
    long Epoch,
    IReadOnlyList<PlannedTransfer> Transfers,
    IReadOnlyList<VestingTranche> Tranches,
    IReadOnlyList<long> ReleasedUnbonding,
    IReadOnlyList<HostId> BelowStake,
    IReadOnlyList<LeaseHold> NewHolds,
    EpochTotals Totals,
    IReadOnlyList<SlaCreditPaid> Credits,
    IReadOnlyList<HostEarning> Earnings);

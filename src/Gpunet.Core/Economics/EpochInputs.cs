using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>Everything the planner needs to settle one epoch; the lists may come in any order.</summary>
/// <param name="Epoch">The epoch number (<see cref="EconomicsOptions.EpochOf"/>), from 0 to 2^48 − 1.</param>
/// <param name="Start">When the epoch started (UTC).</param>
/// <param name="End">When it ended: new tranches start vesting here, and vesting and unbonding are released up to here.</param>
/// <param name="EmissionPoolBalance">The balance of <c>network:emission-pool</c>; nothing beyond it is emitted.</param>
/// <param name="Tranches">Every operator's vesting tranches before this epoch.</param>
/// <param name="Unbonding">Every stake still unbonding.</param>
/// <param name="Slashes">The slashes decided in this epoch.</param>
/// <param name="Credits">SLA credits owed to customers for tiered leases that fell short (none: null).</param>
public sealed record EpochInputs(
    long Epoch,
    DateTimeOffset Start,
    DateTimeOffset End,
    TokenAmount EmissionPoolBalance,
    IReadOnlyList<HostEpoch> Hosts,
    IReadOnlyList<LeaseEpoch> Leases,
    IReadOnlyList<CheckerEpoch> Checkers,
    IReadOnlyList<VestingTranche> Tranches,
    IReadOnlyList<UnbondingEntry> Unbonding,
    IReadOnlyList<SlashEvent> Slashes,
    IReadOnlyList<SlaCreditClaim>? Credits = null);

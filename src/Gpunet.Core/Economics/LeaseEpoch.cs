using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>One lease's epoch: what it was charged and how its escrow stands.</summary>
/// <param name="LeaseId">The lease; its escrow account is <c>lease:LEASE-ID:escrow</c>.</param>
/// <param name="Operator">The operator of the host that served it, paid the host's share of the fee.</param>
/// <param name="Reserve">True for a reserve lease (prepaid escrow), false for on-demand (held ahead, metered).</param>
/// <param name="Charge">Metered and priced this epoch (<see cref="LeaseCharge.For"/>); downtime is not in it.</param>
/// <param name="Escrow">Reserve: the lease's escrow balance. On-demand: unused.</param>
/// <param name="OpenHold">On-demand: the pending hold (customer available → lease escrow) placed earlier, if any.</param>
/// <param name="HoldAmount">On-demand: that hold's amount.</param>
/// <param name="NextHold">On-demand: the hold to place for the next period; zero when <paramref name="Ended"/>.</param>
/// <param name="Ended">The lease ended in this epoch.</param>
/// <param name="CustomerAtFault">It ended by the customer's doing (cancelled early, broke the terms): a reserve lease's
/// unused escrow is then charged instead of refunded.</param>
public sealed record LeaseEpoch(
    string LeaseId,
    HostId Host,
    Address Operator,
    Address Customer,
    bool Reserve,
    TokenAmount Charge,
    TokenAmount Escrow,
    TransferId? OpenHold,
    TokenAmount HoldAmount,
    TokenAmount NextHold,
    bool Ended,
    bool CustomerAtFault);

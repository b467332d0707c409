using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>A tiered lease that fell short of its promise this month, as settlement pays it back.</summary>
/// <param name="LeaseId">The lease; this epoch's fee for it counts towards the month's fees.</param>
/// <param name="Host">The container that owes the credit: its operator's vesting pays first, then its stake.</param>
/// <param name="Percent">The credit in percent of the month's fees so far (<see cref="Sla.SlaCredits.PercentFor"/>).</param>
/// <param name="FeesBefore">Fees charged for the lease earlier in the month.</param>
/// <param name="CreditedBefore">Credits paid for the lease earlier in the month.</param>
/// <param name="Reason">The breach in words.</param>
public sealed record SlaCreditClaim(
    string LeaseId, HostId Host, Address Operator, Address Customer, decimal Percent, TokenAmount FeesBefore, TokenAmount CreditedBefore, string Reason);

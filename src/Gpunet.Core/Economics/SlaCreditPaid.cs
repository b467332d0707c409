using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>What one <see cref="SlaCreditClaim"/> came to in an epoch's settlement.</summary>
/// <param name="FeesToDate">The month's fees for the lease including this epoch's.</param>
/// <param name="DueToDate">The month's credit due so far: percent of <paramref name="FeesToDate"/>.</param>
/// <param name="Paid">Paid to the customer in this epoch.</param>
/// <param name="Unpaid">Due in this epoch but not paid: the host had neither vesting nor stake left.</param>
/// <param name="TransferIds">The transfers that paid it (from vesting, from stake), in order.</param>
public sealed record SlaCreditPaid(string LeaseId, TokenAmount FeesToDate, TokenAmount DueToDate, TokenAmount Paid, TokenAmount Unpaid, IReadOnlyList<TransferId> TransferIds);

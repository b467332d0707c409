using System.Globalization;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.Core.Marketplace;

namespace Gpunet.Core.Economics;

/// <summary>What an order takes from its customer's wallet, and what a lease that never ran gives back.</summary>
/// <remarks>
/// <para>At the order's maximum price and the token rate locked when it is placed: a reserve lease prepays its whole
/// term into the lease's escrow; an on-demand lease has its next period (its term, at most
/// <see cref="EconomicsOptions.OnDemandHoldHours"/>) held — reserved in the customer's wallet by a pending transfer —
/// and is charged per metered second at each epoch's settlement. Either takes at least the coordinator's minimum hold
/// per lease, so that a queued order costs real balance. A gang order's transfers are linked: all are taken or none.
/// A lease that ends without ever being placed gets all of it back at once.</para>
/// <para>Pure: amounts are in base units, times in seconds; nothing here reads a clock or a store.</para>
/// </remarks>
public static class EscrowPlanning
{
    /// <summary>High half of an order's escrow transfer ids: "ESCROW"; the low half is the lease id's 48 bits.</summary>
    public const ulong EscrowIdPrefix = 0x4553_4352_4f57_0000UL;

    /// <summary>High half of the transfer that returns the escrow of a lease that ended unplaced: "UNPLACE"; the low
    /// half is the lease id's 48 bits.</summary>
    public const ulong UnplacedRefundIdPrefix = 0x554e_504c_4143_4500UL;

    /// <summary>The id of the transfer that funds lease <paramref name="leaseId"/> (<c>l-</c> and 12 hex digits).</summary>
    public static TransferId EscrowId(string leaseId)
    {
        ArgumentNullException.ThrowIfNull(leaseId);
        return TransferId.FromParts(EscrowIdPrefix, ulong.Parse(leaseId.AsSpan(leaseId.IndexOf('-') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    /// <summary>The id of the transfer that gives back what lease <paramref name="leaseId"/> took, when it ended unplaced.</summary>
    public static TransferId UnplacedRefundId(string leaseId) => TransferId.FromParts(UnplacedRefundIdPrefix, EscrowId(leaseId).Low);

    /// <summary>The seconds an on-demand hold covers from <paramref name="chargedSeconds"/> on: the rest of the term
    /// (0 = no term: always a whole period), at most the hold period; 0 when the term is used up.</summary>
    public static long HoldSeconds(long termSeconds, long chargedSeconds, EconomicsOptions economics)
    {
        ArgumentNullException.ThrowIfNull(economics);
        var period = (long)economics.OnDemandHoldHours * 3600;
        return termSeconds == 0 ? period : Math.Clamp(termSeconds - chargedSeconds, 0, period);
    }

    /// <summary>What one lease of <paramref name="spec"/> takes when ordered: its first period (on demand) or its whole
    /// term (reserve) at the max price, and never less than <paramref name="minimum"/>: a queued order at a token price
    /// (0.0001 USD per GPU-hour for a thousandth of a GPU holds almost nothing) still ties up real balance.</summary>
    public static TokenAmount FirstHold(OrderSpec spec, TokenRate rate, EconomicsOptions economics, TokenAmount minimum)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var term = TermSeconds(spec);
        var seconds = spec.Type == OrderType.Reserve ? term : HoldSeconds(term, 0, economics);
        return Hold(spec.MaxPriceUsdPerGpuHour, spec.GpusPerHost, spec.GpuMilli, seconds, rate, minimum);
    }

    /// <summary>The hold an on-demand lease renews at a settlement for its next period, from
    /// <paramref name="chargedSeconds"/> on: the same rule as its first, minimum included; zero once its term is used up.</summary>
    public static TokenAmount NextHold(
        decimal maxUsdPerGpuHour, int gpus, int gpuMilli, long termSeconds, long chargedSeconds, TokenRate rate, EconomicsOptions economics, TokenAmount minimum) =>
        Hold(maxUsdPerGpuHour, gpus, gpuMilli, HoldSeconds(termSeconds, chargedSeconds, economics), rate, minimum);

    /// <summary>The order's term in seconds; 0 when it has none (on demand until cancelled).</summary>
    public static long TermSeconds(OrderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Duration is { } d ? (long)d.TotalSeconds : 0;
    }

    /// <summary>The transfers that fund an order's leases (one per lease, linked: a gang takes all or nothing), each
    /// <paramref name="amount"/> (from <see cref="FirstHold"/>) from the customer's wallet into the lease's escrow; an
    /// on-demand lease's is a pending hold. Empty when the amount is zero.</summary>
    public static IReadOnlyList<PlannedTransfer> Funding(Address customer, bool reserve, IReadOnlyList<string> leaseIds, TokenAmount amount)
    {
        ArgumentNullException.ThrowIfNull(leaseIds);
        if (amount.IsZero)
            return [];
        var transfers = new PlannedTransfer[leaseIds.Count];
        for (var i = 0; i < transfers.Length; i++)
        {
            // The last of a chain carries no link flag: that closes the chain.
            var linked = i < transfers.Length - 1 ? TransferFlags.Linked : TransferFlags.None;
            transfers[i] = new PlannedTransfer(EscrowId(leaseIds[i]), AccountKey.Participant(customer, AccountPurpose.Available), AccountKey.LeaseEscrow(leaseIds[i]),
                amount, TransferCode.EscrowHold, (reserve ? TransferFlags.None : TransferFlags.Pending) | linked);
        }

        return transfers;
    }

    /// <summary>The transfer that gives back everything a lease that ended without being placed took: its on-demand
    /// hold (<paramref name="openHold"/>) voided, or its reserve escrow (<paramref name="escrowBalance"/>) refunded.
    /// Nothing ran, so nothing is owed; null when there is nothing to give back.</summary>
    public static PlannedTransfer? ReleaseUnplaced(string leaseId, Address customer, bool reserve, TransferId? openHold, TokenAmount escrowBalance)
    {
        var available = AccountKey.Participant(customer, AccountPurpose.Available);
        var escrow = AccountKey.LeaseEscrow(leaseId);
        if (!reserve)
        {
            // Voiding the pending hold, as settlement does: no amount moves, the held balance is available again.
            return openHold is { } hold
                ? new PlannedTransfer(UnplacedRefundId(leaseId), available, escrow, TokenAmount.Zero, TransferCode.EscrowRefund, TransferFlags.VoidPending, hold)
                : null;
        }

        return escrowBalance.IsZero
            ? null
            : new PlannedTransfer(UnplacedRefundId(leaseId), escrow, available, escrowBalance, TransferCode.EscrowRefund);
    }

    // A period at the max price, never less than the minimum while there is a period to cover.
    private static TokenAmount Hold(decimal maxUsdPerGpuHour, int gpus, int gpuMilli, long seconds, TokenRate rate, TokenAmount minimum)
    {
        if (seconds <= 0)
            return TokenAmount.Zero;
        var amount = LeaseCharge.For(maxUsdPerGpuHour, gpus, gpuMilli, seconds, rate);
        return amount < minimum ? minimum : amount;
    }
}

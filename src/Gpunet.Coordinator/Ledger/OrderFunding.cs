using System.Globalization;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.Core.Marketplace;

namespace Gpunet.Coordinator.Ledger;

/// <summary>What an order takes from its customer's wallet when it is placed, at its maximum price and the token rate
/// locked then: a reserve lease prepays its whole term into the lease's escrow; an on-demand lease has its next
/// period (its term, at most <see cref="EconomicsOptions.OnDemandHoldHours"/>) held — reserved in the customer's
/// wallet by a pending transfer — and is charged per metered second at each epoch's settlement. Either takes at least
/// the coordinator's minimum hold per lease, so that a queued order costs real balance. A gang order's transfers are
/// linked: all are taken or none. A lease that ends without ever being placed gets all of it back at once.</summary>
internal static class OrderFunding
{
    /// <summary>High half of an order's escrow transfer ids: "ESCROW"; the low half is the lease id's 48 bits.</summary>
    public const ulong EscrowIdPrefix = 0x4553_4352_4f57_0000UL;

    public static TransferId EscrowId(string leaseId) =>
        TransferId.FromParts(EscrowIdPrefix, ulong.Parse(leaseId.AsSpan(leaseId.IndexOf('-') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    /// <summary>The seconds an on-demand hold covers from <paramref name="chargedSeconds"/> on: the rest of the term,
    /// at most the hold period; 0 when the term is used up.</summary>
    public static long HoldSeconds(long termSeconds, long chargedSeconds, EconomicsOptions economics)
    {
        var period = (long)(economics.OnDemandHoldHours * 3600);
        return termSeconds == 0 ? period : Math.Clamp(termSeconds - chargedSeconds, 0, period);
    }

    /// <summary>High half of the transfer that returns the escrow of a lease that ended unplaced: "UNPLACE"; the low
    /// half is the lease id's 48 bits.</summary>
    public const ulong UnplacedRefundIdPrefix = 0x554e_504c_4143_4500UL;

    /// <summary>What one lease of <paramref name="spec"/> takes when ordered: its first period (on demand) or its whole
    /// term (reserve) at the max price, and never less than <paramref name="minimum"/>: a queued order at a token price
    /// (0.0001 USD per GPU-hour for a thousandth of a GPU holds almost nothing) still ties up real balance.</summary>
    public static TokenAmount FirstHold(OrderSpec spec, TokenRate rate, EconomicsOptions economics, TokenAmount minimum)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var term = spec.Duration is { } d ? (long)d.TotalSeconds : 0;
        var seconds = spec.Type == OrderType.Reserve ? term : HoldSeconds(term, 0, economics);
        return Hold(spec.MaxPriceUsdPerGpuHour, spec.GpusPerHost, spec.GpuMilli, seconds, rate, minimum);
    }

    /// <summary>The hold an on-demand lease renews at a settlement for its next period, from
    /// <paramref name="chargedSeconds"/> on: the same rule as its first, minimum included; zero once its term is used up.</summary>
    public static TokenAmount NextHold(LeaseBillingRecord billing, long chargedSeconds, TokenRate rate, EconomicsOptions economics, TokenAmount minimum)
    {
        ArgumentNullException.ThrowIfNull(billing);
        return Hold(billing.MaxUsdPerGpuHour, billing.Gpus, billing.GpuMilli, HoldSeconds(billing.TermSeconds, chargedSeconds, economics), rate, minimum);
    }

    // A period at the max price, never less than the minimum while there is a period to cover.
    private static TokenAmount Hold(decimal maxUsdPerGpuHour, int gpus, int gpuMilli, long seconds, TokenRate rate, TokenAmount minimum)
    {
        if (seconds <= 0)
            return TokenAmount.Zero;
        var amount = LeaseCharge.For(maxUsdPerGpuHour, gpus, gpuMilli, seconds, rate);
        return amount < minimum ? minimum : amount;
    }

    /// <summary>The transfer that gives back everything a lease that ended without being placed took: its on-demand
    /// hold voided, or its reserve escrow (<paramref name="escrowBalance"/>) refunded. Nothing ran, so nothing is owed;
    /// null when there is nothing to give back.</summary>
    public static PlannedTransfer? ReleaseUnplaced(LeaseBillingRecord billing, TokenAmount escrowBalance)
    {
        ArgumentNullException.ThrowIfNull(billing);
        var customer = AccountKey.Participant(Address.Parse(billing.Customer), AccountPurpose.Available);
        var escrow = AccountKey.LeaseEscrow(billing.LeaseId);
        if (billing.Kind != "reserve")
        {
            // Voiding the pending hold, as settlement does: no amount moves, the held balance is available again.
            return billing.HoldId is { } hold
                ? new PlannedTransfer(UnplacedRefundId(billing.LeaseId), customer, escrow, TokenAmount.Zero, TransferCode.EscrowRefund,
                    TransferFlags.VoidPending, TransferId.Parse(hold))
                : null;
        }

        return escrowBalance.IsZero
            ? null
            : new PlannedTransfer(UnplacedRefundId(billing.LeaseId), escrow, customer, escrowBalance, TransferCode.EscrowRefund);
    }

    private static TransferId UnplacedRefundId(string leaseId) =>
        TransferId.FromParts(UnplacedRefundIdPrefix, EscrowId(leaseId).Low);

    public static (List<LeaseBillingRecord> Billing, List<PlannedTransfer> Transfers) Plan(
        Address customer, OrderSpec spec, IReadOnlyList<LeaseRecord> leases, TokenRate rate, EconomicsOptions economics, TokenAmount minimumHold)
    {
        var reserve = spec.Type == OrderType.Reserve;
        var term = spec.Duration is { } d ? (long)d.TotalSeconds : 0;
        var billing = new List<LeaseBillingRecord>(leases.Count);
        var transfers = new List<PlannedTransfer>(leases.Count);
        var amount = FirstHold(spec, rate, economics, minimumHold);
        foreach (var lease in leases)
        {
            var id = EscrowId(lease.Id);
            billing.Add(new LeaseBillingRecord
            {
                LeaseId = lease.Id,
                Customer = customer.Value,
                Kind = reserve ? "reserve" : "on-demand",
                UsdPerToken = rate.UsdPerToken,
                MaxUsdPerGpuHour = spec.MaxPriceUsdPerGpuHour,
                Gpus = spec.GpusPerHost,
                GpuMilli = spec.GpuMilli,
                TermSeconds = term,
                HoldId = !reserve && !amount.IsZero ? id.ToString() : null,
                HoldAmount = reserve ? 0 : amount.BaseUnits,
            });
            if (!amount.IsZero)
            {
                transfers.Add(new PlannedTransfer(id, AccountKey.Participant(customer, AccountPurpose.Available), AccountKey.LeaseEscrow(lease.Id),
                    amount, TransferCode.EscrowHold, (reserve ? TransferFlags.None : TransferFlags.Pending) | TransferFlags.Linked));
            }
        }

        if (transfers.Count > 0)
            transfers[^1] = transfers[^1] with { Flags = transfers[^1].Flags & ~TransferFlags.Linked };
        return (billing, transfers);
    }
}

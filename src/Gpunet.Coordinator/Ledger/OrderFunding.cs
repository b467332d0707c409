using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.Core.Marketplace;

namespace Gpunet.Coordinator.Ledger;

/// <summary>The stored side of <see cref="EscrowPlanning"/>: an order's escrow rules applied to its leases' billing
/// rows (what an order holds, renews and gives back is decided in the core).</summary>
internal static class OrderFunding
{
    /// <inheritdoc cref="EscrowPlanning.EscrowId"/>
    public static TransferId EscrowId(string leaseId) => EscrowPlanning.EscrowId(leaseId);

    /// <inheritdoc cref="EscrowPlanning.HoldSeconds"/>
    public static long HoldSeconds(long termSeconds, long chargedSeconds, EconomicsOptions economics) =>
        EscrowPlanning.HoldSeconds(termSeconds, chargedSeconds, economics);

    /// <summary>The hold an on-demand lease renews at a settlement for its next period (<see cref="EscrowPlanning.NextHold"/>).</summary>
    public static TokenAmount NextHold(LeaseBillingRecord billing, long chargedSeconds, TokenRate rate, EconomicsOptions economics, TokenAmount minimum)
    {
        ArgumentNullException.ThrowIfNull(billing);
        return EscrowPlanning.NextHold(billing.MaxUsdPerGpuHour, billing.Gpus, billing.GpuMilli, billing.TermSeconds, chargedSeconds, rate, economics, minimum);
    }

    /// <summary>What a lease that ended unplaced gives back (<see cref="EscrowPlanning.ReleaseUnplaced"/>).</summary>
    public static PlannedTransfer? ReleaseUnplaced(LeaseBillingRecord billing, TokenAmount escrowBalance)
    {
        ArgumentNullException.ThrowIfNull(billing);
        return EscrowPlanning.ReleaseUnplaced(billing.LeaseId, Address.Parse(billing.Customer), billing.Kind == "reserve",
            billing.HoldId is { } hold ? TransferId.Parse(hold) : null, escrowBalance);
    }

    /// <summary>The billing rows and funding transfers of an order's leases (<see cref="EscrowPlanning.Funding"/>).</summary>
    public static (List<LeaseBillingRecord> Billing, List<PlannedTransfer> Transfers) Plan(
        Address customer, OrderSpec spec, IReadOnlyList<LeaseRecord> leases, TokenRate rate, EconomicsOptions economics, TokenAmount minimumHold)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(leases);
        var reserve = spec.Type == OrderType.Reserve;
        var amount = EscrowPlanning.FirstHold(spec, rate, economics, minimumHold);
        var billing = leases.Select(lease => new LeaseBillingRecord
        {
            LeaseId = lease.Id,
            Customer = customer.Value,
            Kind = reserve ? "reserve" : "on-demand",
            UsdPerToken = rate.UsdPerToken,
            MaxUsdPerGpuHour = spec.MaxPriceUsdPerGpuHour,
            Gpus = spec.GpusPerHost,
            GpuMilli = spec.GpuMilli,
            TermSeconds = EscrowPlanning.TermSeconds(spec),
            HoldId = !reserve && !amount.IsZero ? EscrowPlanning.EscrowId(lease.Id).ToString() : null,
            HoldAmount = reserve ? 0 : amount.BaseUnits,
        }).ToList();
        return (billing, [.. EscrowPlanning.Funding(customer, reserve, [.. leases.Select(l => l.Id)], amount)]);
    }
}

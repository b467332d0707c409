using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>The order gate: which hosts an order may be placed on beyond the matcher's own requirements.</summary>
internal sealed class PlacementGate(IOptions<CoordinatorOptions> options, Compliance.ComplianceService compliance, CapacityIndex index)
{
    private readonly bool _requireStake = options.Value.RequireStake;

    /// <summary>The order's compliance hook: the stake gate, then the customer's rental rules (approved KYC, controlled
    /// GPUs for a restricted customer, data residency); an operator's own orders pass the stake gate and their residency.</summary>
    public Func<int, string?>? For(OrderInfo info)
    {
        var stake = _requireStake ? index.Unstaked : null;
        if (info.Order.Owner == Auth.GpunetClaims.AdminRole && info.Request.Residency is null)
            return stake;
        var rental = compliance.RentalGateFor(info.Order.Owner, info.Request.Residency);
        return node =>
        {
            if (stake?.Invoke(node) is { } unstaked)
                return unstaked;
            var slot = index.Slots[node];
            return rental.Check(slot.Model, slot.Record.Country, slot.Record.Region ?? "",
                info.Request.Residency is null || compliance.LocationConfirmed(slot.Entry.Id));
        };
    }
}

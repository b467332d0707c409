using Gpunet.Coordinator.Compliance;
using Gpunet.Coordinator.Ledger;
using Gpunet.Core.Compliance;
using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>The order gate at placement: which hosts an order may be placed on beyond the matcher's own requirements,
/// decided by the core's one <see cref="OrderGate"/> (the stake gate, then the customer's rental rules; the operator's
/// own orders pass all but the residency they ask for).</summary>
internal sealed class PlacementGate(bool requireStake, ComplianceService compliance, LedgerService ledger, CapacityIndex index,
    IReadOnlyList<IPlacementRule> rules, TimeProvider time)
{
    /// <summary>The order's hook for the matcher: a host's refusal, or null where it may take the order; null when no
    /// host needs a look. The order gate speaks first, then each module's <see cref="IPlacementRule"/>.</summary>
    public Func<int, string?>? For(OrderInfo info)
    {
        var checks = new List<Func<int, string?>>(rules.Count + 1);
        var gate = compliance.OrderGateFor(info.Order.Owner, info.Request.Residency, requireStake);
        if (gate.ChecksHosts)
        {
            checks.Add(node =>
            {
                var slot = index.Slots[node];
                var id = slot.Entry.Id;
                return gate.Check(new CandidateHost(id, slot.Model, slot.Record.Country, slot.Record.Region ?? "",
                    !gate.NeedsConfirmedLocation || compliance.LocationConfirmed(id),
                    gate.NeedsStake ? ledger.StakeOf(id) : TokenAmount.Zero, slot.RequiredStake));
            });
        }

        var now = time.GetUtcNow();
        foreach (var rule in rules)
        {
            if (rule.For(info, now) is { } check)
                checks.Add(node => check(index.Slots[node]));
        }

        return checks.Count switch
        {
            0 => null,
            1 => checks[0],
            _ => node =>
            {
                foreach (var check in checks)
                {
                    if (check(node) is { } refusal)
                        return refusal;
                }

                return null;
            },
        };
    }
}

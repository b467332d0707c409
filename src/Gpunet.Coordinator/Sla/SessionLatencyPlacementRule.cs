using Gpunet.Coordinator.Marketplace;
using Gpunet.Core.Sla;

namespace Gpunet.Coordinator.Sla;

/// <summary>Places a session or service order of a tier only on hosts whose checkers' recent round trips are within the
/// tier's <see cref="SlaTier.SessionLatencyMs"/> (<see cref="SessionLatencyRule"/>): a host measured slower is refused
/// with the median and the bound, which the matcher shows as the lease's pending reason when no host is left
/// (<c>round trip 120 ms &gt; enterprise's 50 ms</c>). A host with no round trips yet passes; a job is not bound.</summary>
/// <remarks>Answers from memory: the tiers read at start and the round trips <see cref="HostTrackRecords"/> keeps per
/// checker (the checkers' liveness and service checks). These are measured from the checkers, not the customer: the
/// order's own <c>maxLatencyMs</c> from <c>latencyFrom</c> stays the matcher's. A tier no longer offered is
/// <see cref="SlaQualificationRule"/>'s to refuse.</remarks>
internal sealed class SessionLatencyPlacementRule(SlaTiers tiers, HostTrackRecords records) : IPlacementRule
{
    /// <inheritdoc />
    public Func<HostSlot, string?>? For(OrderInfo info, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (!SessionLatencyRule.Applies(info.Spec.Kind) || tiers.Find(info.Spec.SlaTier) is not { } tier)
            return null;
        return slot => SessionLatencyRule.Refusal(tier, records.Of(slot.Entry.Id).RoundTripsMs);
    }
}

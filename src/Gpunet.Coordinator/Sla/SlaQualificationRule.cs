using Gpunet.Coordinator.Marketplace;
using Gpunet.Core.Sla;

namespace Gpunet.Coordinator.Sla;

/// <summary>Places an order of a tier only on hosts whose track record qualifies for it (<see cref="HostQualificationRules"/>):
/// a host that falls short is refused with the tier and the shortfall, which the matcher shows as the lease's pending
/// reason when no host is left (<c>not qualified for enterprise: uptime 98.20 % &lt; 99.90 % (3 matching hosts refused)</c>).</summary>
/// <remarks>Answers from memory: the tiers read at start and the records <see cref="HostTrackRecords"/> keeps (refreshed
/// every <see cref="MarketOptions.TrackRecordInterval"/>; a refresh that changes a record changes the host's reputation,
/// so the market tries its queued orders again).</remarks>
internal sealed class SlaQualificationRule(SlaTiers tiers, HostTrackRecords records) : IPlacementRule
{
    /// <inheritdoc />
    public Func<HostSlot, string?>? For(OrderInfo info, DateTimeOffset now)
    {
        var name = info.Spec.SlaTier;
        if (tiers.Find(name) is not { } tier)
        {
            // A tier taken out of configuration after the order was placed: its promise cannot be kept, so it waits
            // visibly rather than run without it.
            var refusal = $"the SLA tier {name} is no longer offered (offered: {tiers.Names})";
            return _ => refusal;
        }

        var qualification = tier.Qualification;
        if (qualification is { MinUptime: <= 0, MinCheckPassRate: <= 0, MinLeaseCompletion: <= 0 })
            return null;
        return slot => HostQualificationRules.Shortfall(qualification, records.Of(slot.Entry.Id).Record) is { } shortfall
            ? $"not qualified for {tier.Name}: {shortfall}"
            : null;
    }
}

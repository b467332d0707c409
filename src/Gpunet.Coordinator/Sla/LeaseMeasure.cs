using Gpunet.Core.Sla;

namespace Gpunet.Coordinator.Sla;

/// <summary>What the store shows of one lease's service in a period.</summary>
/// <param name="Customer">The lease's owner.</param>
/// <param name="Tier">The order's SLA tier.</param>
/// <param name="From">The period's start, no earlier than the lease's first start.</param>
/// <param name="To">The period's end, no later than the lease's end.</param>
/// <param name="ObligatedSeconds">Seconds of service owed: from its first start to its end (or <paramref name="To"/>).</param>
/// <param name="Windows">Its downtime windows in the period, earliest first, never overlapping; each with the host it
/// was on (null while it waited for a new host).</param>
/// <param name="ReplacementBroken">Whether a wait for a new host in the period took longer than the tier allows.</param>
internal sealed record LeaseMeasure(
    string LeaseId,
    string Customer,
    string Tier,
    DateTimeOffset From,
    DateTimeOffset To,
    double ObligatedSeconds,
    IReadOnlyList<HostedWindow> Windows,
    bool ReplacementBroken)
{
    /// <summary>Seconds down that count against the customer (maintenance does not).</summary>
    public double DowntimeSeconds => SlaAvailability.CustomerDowntimeSeconds(Windows.Select(w => w.Window));

    /// <summary>1 − downtime ÷ obligated time; 1 when nothing was owed.</summary>
    public double Availability => SlaAvailability.Of(ObligatedSeconds, DowntimeSeconds);
}

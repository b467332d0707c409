using Gpunet.Core.Sla;

namespace Gpunet.Coordinator.Sla;

/// <summary>What the store shows of one lease's service in a period.</summary>
/// <param name="Customer">The lease's owner.</param>
/// <param name="Tier">The order's SLA tier.</param>
/// <param name="Session">A session or service lease (its round trips are held to the tier's bound).</param>
/// <param name="Service">Owed from, owed to, the downtime windows (each with its host), whether a replacement broke the
/// tier's promise.</param>
internal sealed record LeaseMeasure(string LeaseId, string Customer, SlaTier Tier, bool Session, LeaseService Service)
{
    /// <summary>The period's start, no earlier than the lease's first start.</summary>
    public DateTimeOffset From => Service.OwedFrom;

    /// <summary>The period's end, no later than the lease's end.</summary>
    public DateTimeOffset To => Service.OwedTo;

    /// <summary>Seconds of service owed.</summary>
    public double ObligatedSeconds => Service.ObligatedSeconds;

    /// <summary>Its downtime windows, earliest first, never overlapping.</summary>
    public IReadOnlyList<HostedDowntime> Windows => Service.Windows;

    /// <summary>Whether a wait for a new host took longer than the tier allows.</summary>
    public bool ReplacementBroken => Service.ReplacementBroken;

    /// <summary>Seconds down that count against the customer (maintenance does not).</summary>
    public double DowntimeSeconds => Service.DowntimeSeconds;

    /// <summary>1 − downtime ÷ obligated time; 1 when nothing was owed.</summary>
    public double Availability => Service.Availability;
}

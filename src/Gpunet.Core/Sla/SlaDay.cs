namespace Gpunet.Core.Sla;

/// <summary>One UTC day of a service contract: the seconds of service owed on it, the seconds down that count against the
/// customer (maintenance excluded), and so the share up.</summary>
public sealed record SlaDay(DateOnly Day, double ObligatedSeconds, double DowntimeSeconds)
{
    /// <summary>1 − downtime ÷ obligated time; 1 when nothing was owed that day.</summary>
    public double Availability => SlaAvailability.Of(ObligatedSeconds, DowntimeSeconds);
}

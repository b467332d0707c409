namespace Gpunet.Core.Sla;

/// <summary>A lease's service in a period: owed from <paramref name="OwedFrom"/> to <paramref name="OwedTo"/>, its
/// downtime windows (earliest first, never overlapping), and whether a replacement took longer than its tier allows.</summary>
public sealed record LeaseService(DateTimeOffset OwedFrom, DateTimeOffset OwedTo, IReadOnlyList<HostedDowntime> Windows, bool ReplacementBroken)
{
    /// <summary>Seconds of service owed.</summary>
    public double ObligatedSeconds => OwedTo > OwedFrom ? (OwedTo - OwedFrom).TotalSeconds : 0;

    /// <summary>Seconds down that count against the customer (maintenance does not).</summary>
    public double DowntimeSeconds => SlaAvailability.CustomerDowntimeSeconds(Windows.Select(w => w.Window));

    /// <summary>1 − downtime ÷ owed; 1 when nothing was owed.</summary>
    public double Availability => SlaAvailability.Of(ObligatedSeconds, DowntimeSeconds);
}

namespace Gpunet.Core.Sla;

/// <summary>One UTC day of a host's SLO: the seconds of the day the host was registered in the period, the seconds of
/// them it was down (maintenance included: it counts against the host), and whether that stayed below the daily limit.</summary>
public sealed record HostSloDay(DateOnly Day, double ObservedSeconds, double OfflineSeconds, bool Met)
{
    /// <summary>1 − offline ÷ observed; 1 when the host was not registered that day.</summary>
    public double Uptime => SlaAvailability.Of(ObservedSeconds, OfflineSeconds);
}

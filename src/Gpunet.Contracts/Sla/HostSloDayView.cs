namespace Gpunet.Contracts.Sla;

/// <summary>One UTC day of a host's SLO: seconds it was offline (maintenance included: it counts against the host) and
/// whether it stayed below the daily limit.</summary>
public sealed record HostSloDayView(DateOnly Day, double OfflineSeconds, double Uptime, bool Met);

namespace Gpunet.Core.Sla;

/// <summary>Availability as a service contract counts it.</summary>
public static class SlaAvailability
{
    /// <summary>Seconds of <paramref name="windows"/> that count against the customer: every cause but maintenance.</summary>
    public static double CustomerDowntimeSeconds(IEnumerable<DowntimeWindow> windows) =>
        windows.Where(w => w.Cause != DowntimeCause.Maintenance).Sum(w => w.Length.TotalSeconds);

    /// <summary>1 − downtime ÷ obligated time, clamped to [0, 1]; 1 when nothing was owed.</summary>
    public static double Of(double obligatedSeconds, double downtimeSeconds) =>
        obligatedSeconds <= 0 ? 1.0 : Math.Clamp(1.0 - (downtimeSeconds / obligatedSeconds), 0.0, 1.0);
}

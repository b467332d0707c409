namespace Gpunet.Core.Sla;

/// <summary>The limits on declaring maintenance windows (the SLA module's configuration).</summary>
/// <param name="Notice">How far ahead of its start a window must be declared.</param>
/// <param name="MaxLength">The longest one window may be.</param>
/// <param name="Horizon">How far ahead a window may start at the latest.</param>
/// <param name="MaxStanding">The most windows a host may have declared and not yet over.</param>
public sealed record MaintenancePolicy(TimeSpan Notice, TimeSpan MaxLength, TimeSpan Horizon, int MaxStanding)
{
    /// <summary>The longest reason kept with a window, in characters (the store's column).</summary>
    public const int MaxReasonLength = 500;
}

namespace Gpunet.Coordinator.Metering;

/// <summary>How usage reports are taken. Bound from the <c>Coordinator</c> section, keys as named here.</summary>
public sealed class MeteringOptions
{
    /// <summary>How long after a lease's end its last usage reports are still taken; settlement closes a lease's escrow
    /// (its last charge and refund) only once this has passed before the epoch's end. Default 10 minutes.</summary>
    public TimeSpan UsageLateness { get; set; } = TimeSpan.FromMinutes(10);
}

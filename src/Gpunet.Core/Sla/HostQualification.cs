namespace Gpunet.Core.Sla;

/// <summary>What a host's record must show to serve a tier: a share of its liveness checks passed (its measured uptime),
/// a share of its capacity checks passed, and a share of its leases it completed rather than cut short.</summary>
/// <param name="MinUptime">The least share of liveness checks passed (0.99 for 99 %); a host with none yet passes.</param>
/// <param name="MinCheckPassRate">The least share of capacity checks passed; a host with none yet passes.</param>
/// <param name="MinLeaseCompletion">The least share of its leases that ended other than by the host's fault; a host
/// with none yet passes.</param>
public sealed record HostQualification(double MinUptime, double MinCheckPassRate, double MinLeaseCompletion)
{
    /// <summary>No requirement: every host qualifies.</summary>
    public static HostQualification Any { get; } = new(0, 0, 0);
}

namespace Gpunet.Core.Sla;

/// <summary>Why a lease or a host was not available, as a downtime window records it. When causes overlap, the window
/// takes the first of them in this order.</summary>
public enum DowntimeCause
{
    /// <summary>A maintenance window the host declared ahead of time: it counts against the host's record, not against
    /// the customer's availability.</summary>
    Maintenance,
    /// <summary>The host was not heard (Suspect or Offline), or the lease waited for a new host after its host was lost.</summary>
    HostLost,
    /// <summary>The host was paused by a compliance rule or held after a failed check.</summary>
    PausedByPolicy,
    /// <summary>The checkers' majority failed a liveness or capacity check of the host.</summary>
    FailedCheck,
    /// <summary>Reachable but below the tier: measured GPU throughput under the tier's share of the claimed model, or a
    /// session's measured round trip above the tier's bound.</summary>
    Degraded,
}

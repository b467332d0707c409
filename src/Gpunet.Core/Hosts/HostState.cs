namespace Gpunet.Core.Hosts;

/// <summary>Where a host is in its lifecycle.</summary>
/// <remarks>Pending → Ready → Suspect → Offline, and back to Ready when heartbeats resume.
/// Paused and Retired arrive with the ledger and compliance issues.</remarks>
public enum HostState
{
    /// <summary>Registered, not yet heard from on a heartbeat.</summary>
    Pending,
    /// <summary>Heartbeating; can be matched.</summary>
    Ready,
    /// <summary>Missed heartbeats for a few intervals; not matched, not yet failed.</summary>
    Suspect,
    /// <summary>Silent past the grace period; treated as failed.</summary>
    Offline,
}

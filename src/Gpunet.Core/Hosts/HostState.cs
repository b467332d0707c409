namespace Gpunet.Core.Hosts;

/// <summary>Where a host is in its lifecycle.</summary>
/// <remarks>Pending → Ready → Suspect → Offline, and back to Ready when heartbeats resume.
/// A host that compliance stops is held: it stays Pending, or a Ready host is Paused, until the hold is lifted.</remarks>
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
    /// <summary>Heartbeating, but stopped by a compliance rule (its reason names every one); not matched.</summary>
    Paused,
}

namespace Gpunet.Core.Hosts;

/// <summary>When the coordinator itself counts as having stopped hearing: its host monitor's timer woke later than due
/// by more than a heartbeat interval (and never less than two monitor intervals, a round's normal spread), so the whole
/// process stood still (a long GC pause, a paused virtual machine, a starved machine) while heartbeats queued behind it.
/// Silence from before then is not the hosts' (<see cref="HostHealthPolicy.Evaluate"/>'s <c>resumedAt</c>).</summary>
/// <remarks>A monitor round that is merely slow (a slow store) wakes on time for its next tick and is no stall: the
/// process heard its agents all along. The other side of that choice: a process that stands still while a round runs
/// (inside a store call) looks the same as a slow round and is not seen; its hosts then have the policy's usual
/// margins (the Suspect window, and the mass-silence hold on Offline).</remarks>
public static class CoordinatorStall
{
    /// <summary>The lateness of the monitor's timer beyond which the coordinator stalled.</summary>
    public static TimeSpan LongestLateness(TimeSpan heartbeatInterval, TimeSpan monitorInterval) =>
        heartbeatInterval > 2 * monitorInterval ? heartbeatInterval : 2 * monitorInterval;
}

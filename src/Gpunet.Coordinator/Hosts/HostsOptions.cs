using System.ComponentModel.DataAnnotations;

namespace Gpunet.Coordinator.Hosts;

/// <summary>How hosts are heard: heartbeats, when a silent host is suspect and then offline, how often the monitor runs. Bound from the <c>Coordinator</c> section, keys as named here.</summary>
public sealed class HostsOptions
{
    /// <summary>How often agents heartbeat. Default 10 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Missed heartbeats before a Ready host becomes Suspect. Default 3.</summary>
    [Range(1, 100)]
    public int SuspectAfterMissedHeartbeats { get; set; } = 3;

    /// <summary>Silence before a host is Offline. Default 60 s.</summary>
    public TimeSpan OfflineGracePeriod { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Offline transitions per second while the network looks healthy (token bucket). Default 1.</summary>
    [Range(0.0, 1e6)]
    public double OfflineTransitionsPerSecond { get; set; } = 1.0;

    /// <summary>How often the host monitor runs. Default 1 s.</summary>
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a coordinator reads the hosts other coordinators of its store registered or changed (new
    /// hosts, descriptions, states, leases they placed on hosts connected here). On PostgreSQL a notification makes the
    /// read at once, and this is only the catch-up. Default 1 s.</summary>
    public TimeSpan RegistryPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often last-heard times (and since when each host has been heard) are written to the store, in one
    /// batch. Default 5 s: shorter than the heartbeat interval, since a coordinator that crashes loses the billing of
    /// what it heard after the last write. Other coordinators decide a host's liveness from the stored time, so it must be
    /// well inside the suspect window (<see cref="HeartbeatInterval"/> × <see cref="SuspectAfterMissedHeartbeats"/>,
    /// 30 s by default; the default 5 s is a sixth of it), or another coordinator sees a heard host go silent.</summary>
    public TimeSpan PersistHeardEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How old a host's stored last-heard time may be while the host still counts as heard, when its agent is
    /// connected to another coordinator: the suspect window, plus how late the store's copy can be (the other coordinator
    /// writes it every <see cref="PersistHeardEvery"/>, on its monitor's ticks) and how late this coordinator reads it
    /// again (its monitor re-reads a Ready host's once the copy it has is the suspect window old, on its next tick).</summary>
    /// <remarks>The suspect window alone made a heard host unavailable here for the time between this copy turning that
    /// old and the next read, at every turn: with the devnet's 0.5 s heartbeats and 1 s ticks an order through the second
    /// coordinator stayed queued on a Ready host. Whether the host is up at all is the leader's state; this only keeps an
    /// order off a host no coordinator has heard for a while.</remarks>
    public TimeSpan HeardElsewhereWithin => (HeartbeatInterval * SuspectAfterMissedHeartbeats) + PersistHeardEvery + (2 * MonitorInterval);

    /// <summary>How long rows of the host change sequence are kept: a coordinator reads them within seconds, and one
    /// that starts loads the whole registry, so only a coordinator whose reads stalled this long would miss one. The
    /// leader deletes older rows every <see cref="ChangesSweepInterval"/>. Default 1 day; at least an hour.</summary>
    public TimeSpan ChangesRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often the leader deletes change rows past <see cref="ChangesRetention"/>. Default 1 hour.</summary>
    public TimeSpan ChangesSweepInterval { get; set; } = TimeSpan.FromHours(1);
}

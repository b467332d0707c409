namespace Gpunet.Core.Hosts;

/// <summary>How long an agent waits before its next attempt to reach the coordinator: doubling from a first delay,
/// capped, jittered; and once a coordinator has told the agent its heartbeat interval, never longer than one interval.</summary>
/// <remarks>
/// The interval cap is what keeps a host from flapping to Suspect after every coordinator restart: a restarted
/// coordinator counts a host's silence from its own start and marks it Suspect after a few missed intervals
/// (<see cref="HostHealthOptions.SuspectAfter"/>), so an agent that waits longer than an interval between attempts can
/// come back after that window however briefly the coordinator was away. Trying once an interval costs the coordinator
/// no more than the host's heartbeats do; the jitter spreads a fleet's reconnections over the interval.
/// </remarks>
public static class ReconnectBackoff
{
    /// <summary>The wait before retry <paramref name="attempt"/> (0 for the first retry).</summary>
    /// <param name="attempt">Retries made so far in this run of failures.</param>
    /// <param name="first">The first retry's delay before jitter.</param>
    /// <param name="max">The longest wait, whatever the coordinator said.</param>
    /// <param name="heartbeatInterval">The heartbeat interval the coordinator gave at the latest registration; null before
    /// the first.</param>
    /// <param name="random">A number in [0, 1) from the caller's random source: the wait is between half and all of the
    /// capped delay.</param>
    public static TimeSpan Delay(int attempt, TimeSpan first, TimeSpan max, TimeSpan? heartbeatInterval, double random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        ArgumentOutOfRangeException.ThrowIfLessThan(first, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, first);
        if (!(random >= 0 && random < 1))
            throw new ArgumentOutOfRangeException(nameof(random), random, "a random number in [0, 1)");
        var cap = heartbeatInterval is { } interval && interval > TimeSpan.Zero && interval < max ? interval : max;
        // Doubling stops at the cap; comparing before multiplying keeps a long run of failures from overflowing.
        var delay = first;
        for (var i = 0; i < attempt && delay > TimeSpan.Zero && delay < cap; i++)
            delay *= 2;
        if (delay > cap)
            delay = cap;
        return delay * (0.5 + (random / 2));
    }
}

namespace Gpunet.Core.Coordination;

/// <summary>A follower's watch on the leader lease: the lease lapses when it has not changed for a whole lease length,
/// measured on the follower's own clock.</summary>
/// <remarks>Pure. Only durations on one clock are compared, never one machine's time with another's, so clock skew between
/// coordinators cannot hand the lease over early (only a clock running fast or slow could, by the ratio of its rate).
/// Safety does not rest on it anyway: a stale holder's writes are refused by the token (the fence); the watch only
/// decides when a follower may take the lease.</remarks>
/// <param name="Seen">The lease as last read.</param>
/// <param name="Since">When (the follower's elapsed time) it was first read as it is now.</param>
public readonly record struct LeaderLeaseWatch(LeaderLease? Seen, TimeSpan Since)
{
    /// <summary>The watch after reading <paramref name="lease"/> at <paramref name="at"/>: restarted when the lease changed.</summary>
    public LeaderLeaseWatch Observe(LeaderLease lease, TimeSpan at) => Seen == lease ? this : new LeaderLeaseWatch(lease, at);

    /// <summary>Whether <paramref name="me"/> may take the lease at <paramref name="at"/>: it was given up, it is held
    /// under <paramref name="me"/>'s own id (a previous run of this coordinator that stopped without giving it up), or it
    /// has stood still for <paramref name="length"/>.</summary>
    public bool MayTake(string me, TimeSpan at, TimeSpan length) => Seen is { } lease
        && (lease.Released || string.Equals(lease.Holder, me, StringComparison.Ordinal) || at - Since >= length);
}

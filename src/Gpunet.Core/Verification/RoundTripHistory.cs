namespace Gpunet.Core.Verification;

/// <summary>The smallest round trip one checker has measured to each host within a window: the round trip a capacity
/// check's timing allowance rests on (<see cref="CapacityTiming.Judge(string, int, int, int, TimeSpan, TimeSpan, CapacityTimingOptions)"/>).</summary>
/// <remarks>
/// <para>A host can add delay to its answers, never remove it, and it knows which pings belong to a capacity check
/// (every probe is signed with its check's kind). Judged on the pings just before the check, a weaker card could delay
/// those pings to widen its own allowance by 1.3 × the delay. The smallest round trip seen to it, over every check the
/// checker ran (liveness pings, which the host must answer promptly to count as up and to keep its measured place),
/// bounds the true one, so the delay buys nothing once the checker has seen the host answer quickly.</para>
/// <para>Window: <see cref="DefaultWindow"/>, a day. A checker sees a given host only in the checks it is drawn for
/// (3 of M checkers a minute: with a few hundred checkers, a few times a day), so a shorter window would often hold
/// nothing; a longer one keeps a round trip from before the host's route changed. An honest host whose route grew
/// within the day has less allowance than its round trip: the card band's spare (8 % − 4 % between identical cards,
/// 400 ms at 10 s of compute) absorbs about 700 ms of it. A host the checker has not seen within the window (its first
/// check) is judged on this check's pings alone, which the delay can still inflate.</para>
/// <para>Pure: time is the samples'. Safe to use from several threads. At most <c>maxHosts</c> hosts are kept; past
/// that, the host heard longest ago is forgotten.</para>
/// </remarks>
public sealed class RoundTripHistory
{
    /// <summary>How long a measured round trip bounds the next allowance: a day.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(1);

    private readonly TimeSpan _window;
    private readonly int _maxHosts;
    private readonly Dictionary<string, Host> _hosts = new(StringComparer.Ordinal);

    // Hosts from the one heard longest ago to the one heard last: the first is forgotten when the history is full.
    private readonly LinkedList<string> _heard = new();
    private readonly Lock _lock = new();

    /// <summary>A history over <paramref name="window"/> of at most <paramref name="maxHosts"/> hosts.</summary>
    public RoundTripHistory(TimeSpan window, int maxHosts = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxHosts);
        (_window, _maxHosts) = (window, maxHosts);
    }

    /// <summary>Records a round trip measured to <paramref name="host"/> at <paramref name="at"/>.</summary>
    public void Record(string host, TimeSpan roundTrip, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(roundTrip, TimeSpan.Zero);
        lock (_lock)
        {
            if (_hosts.TryGetValue(host, out var known))
            {
                _heard.Remove(known.Heard);
                _heard.AddLast(known.Heard);
            }
            else
            {
                if (_hosts.Count >= _maxHosts)
                    Forget(_heard.First!.Value);
                _hosts[host] = known = new Host(_heard.AddLast(host));
            }

            var samples = known.Samples;

            // Samples past the window go as new ones come, so a host only ever pinged (never capacity-checked, which
            // reads Smallest) keeps no more than a window of them.
            while (samples.First is { } first && first.Value.At <= at - _window)
                samples.RemoveFirst();
            // A sliding-window minimum: the samples kept rise in round trip from first to last, so the first is the
            // smallest; a sample no smaller than a later one can never be the smallest again.
            while (samples.Last is { } last && last.Value.RoundTrip >= roundTrip)
                samples.RemoveLast();
            samples.AddLast((at, roundTrip));
        }
    }

    /// <summary>The smallest round trip measured to <paramref name="host"/> within the window before
    /// <paramref name="at"/>; null when there is none.</summary>
    public TimeSpan? Smallest(string host, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(host);
        lock (_lock)
        {
            if (!_hosts.TryGetValue(host, out var known))
                return null;
            var samples = known.Samples;
            while (samples.First is { } first && first.Value.At <= at - _window)
                samples.RemoveFirst();
            if (samples.First is { } smallest)
                return smallest.Value.RoundTrip;
            Forget(host);
            return null;
        }
    }

    private void Forget(string host)
    {
        if (_hosts.Remove(host, out var known))
            _heard.Remove(known.Heard);
    }

    /// <summary>The round trip a capacity check's allowance rests on: the smaller of what this check's pings
    /// measured (<paramref name="measured"/>, recorded too) and the smallest within the window.</summary>
    public TimeSpan Allowance(string host, TimeSpan measured, DateTimeOffset at)
    {
        var before = Smallest(host, at);
        Record(host, measured, at);
        return before is { } seen && seen < measured ? seen : measured;
    }

    /// <summary>One host's samples, rising in round trip from first to last, and its place in the order heard.</summary>
    private sealed class Host(LinkedListNode<string> heard)
    {
        public LinkedList<(DateTimeOffset At, TimeSpan RoundTrip)> Samples { get; } = new();

        public LinkedListNode<string> Heard { get; } = heard;
    }
}

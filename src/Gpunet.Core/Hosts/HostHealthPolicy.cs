using System.Globalization;

namespace Gpunet.Core.Hosts;

/// <summary>Decides which hosts become Ready, Suspect or Offline from their heartbeats, rate-limiting Offline per zone.</summary>
/// <remarks>
/// Modelled on the Kubernetes node lifecycle controller: a zone (a country) in which most hosts went silent at once
/// loses them slowly or not at all, and when every zone is silent the coordinator blames its own network and moves
/// nobody to Offline. Stateful: it keeps one token bucket per zone between calls, and takes time only as arguments.
/// Not thread-safe; one monitor loop owns it.
/// </remarks>
public sealed class HostHealthPolicy
{
    /// <summary>How every compliance hold's reason starts.</summary>
    public const string HoldPrefix = "held by compliance: ";

    /// <summary>The reason of a held host that becomes Ready.</summary>
    public const string HoldLifted = "the compliance hold was lifted";

    private readonly HostHealthOptions _options;
    private readonly Dictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);
    private bool _heldLastRound;
    private DateTimeOffset? _massSilenceEndedAt;

    /// <summary>Creates a policy; throws <see cref="ArgumentException"/> listing what is wrong with <paramref name="options"/>.</summary>
    public HostHealthPolicy(HostHealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
            throw new ArgumentException("invalid host health options: " + string.Join("; ", errors), nameof(options));
        _options = options;
    }

    /// <summary>The settings this policy runs with.</summary>
    public HostHealthOptions Options => _options;

    /// <summary>Evaluates every host once and returns the state changes to apply.</summary>
    /// <param name="hosts">Every registered host, each id once.</param>
    /// <param name="now">The evaluation time (UTC); also the time of every transition.</param>
    /// <param name="monitorStartedAt">When this coordinator's monitor started: silence before it does not count,
    /// so a restarted coordinator gives every host a fresh grace period to reconnect.</param>
    /// <param name="resumedAt">When this coordinator last resumed after it stalled (<see cref="CoordinatorStall"/>), if
    /// it did: silence before it is the coordinator's deafness, not the hosts', and does not count either.</param>
    public HostHealthEvaluation Evaluate(IReadOnlyList<HostHealthSample> hosts, DateTimeOffset now, DateTimeOffset monitorStartedAt,
        DateTimeOffset? resumedAt = null)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        EnsureUniqueIds(hosts);

        var (countFrom, origin) = (monitorStartedAt, "since the coordinator started");
        if (resumedAt is { } resumed && resumed > countFrom)
            (countFrom, origin) = (resumed, "since the coordinator resumed after a stall");
        if (_massSilenceEndedAt is { } ended && ended > countFrom)
            (countFrom, origin) = (ended, "since the mass silence ended");
        var views = Observe(hosts, now, countFrom);
        var zones = Tally(hosts, views);
        var held = hosts.Count > 1 && zones.Values.All(z => z.State == ZoneDisruption.FullDisruption);
        if (!held && _heldLastRound)
        {
            // Leaving mass silence: hosts are only now reconnecting, so (as the Kubernetes controller resets its
            // probe timestamps) every host gets a fresh grace period from this moment.
            _massSilenceEndedAt = now;
            origin = "since the mass silence ended";
            views = Observe(hosts, now, now);
            zones = Tally(hosts, views);
        }

        _heldLastRound = held;
        var heldReason = held
            ? string.Create(CultureInfo.InvariantCulture,
                $"mass silence: {hosts.Count} of {hosts.Count} hosts silent in every zone; assuming the coordinator's network failed, holding Offline transitions")
            : null;

        var zoneHealth = new Dictionary<string, ZoneHealth>(StringComparer.Ordinal);
        foreach (var (zone, (size, unhealthy, state)) in zones)
        {
            var (rate, burst) = OfflineRate(state, size);
            // A zone whose rate changes gets a new, full bucket, as Kubernetes swaps a zone's limiter.
            if (!_buckets.TryGetValue(zone, out var bucket) || bucket.RatePerSecond != rate || bucket.Burst != burst)
                _buckets[zone] = new TokenBucket(rate, burst, now);
            zoneHealth[zone] = new ZoneHealth(size, unhealthy, state, held ? 0 : rate);
        }

        // Only hosts past the grace period compete for their zone's Offline tokens, longest silent first; every other
        // host's decision does not depend on the order, so the rest of the fleet (nearly all of it, every second) is
        // never sorted. The transitions come out longest silent first all the same.
        var decided = new List<(int Host, HostTransition Transition)>();
        List<int>? pastGrace = null;
        for (var i = 0; i < hosts.Count; i++)
        {
            if (Decide(hosts[i], views[i], now, origin) is { } transition)
                decided.Add((i, transition));
            else if (hosts[i].State != HostState.Offline && views[i].Silence >= _options.OfflineGracePeriod)
                (pastGrace ??= []).Add(i);
        }

        var deferred = 0;
        if (pastGrace is not null)
        {
            var order = pastGrace.ToArray();
            Array.Sort(order, LongestSilenceFirst(hosts, views));
            foreach (var i in order)
            {
                if (TakeToken(hosts[i], views[i], now, held, origin, ref deferred) is { } transition)
                    decided.Add((i, transition));
            }
        }

        var first = LongestSilenceFirst(hosts, views);
        decided.Sort((a, b) => first(a.Host, b.Host));
        return new HostHealthEvaluation(decided.ConvertAll(d => d.Transition), zoneHealth, held, heldReason, deferred);
    }

    // Every decision that needs no Offline token; null also for a host that waits for one (TakeToken decides it).
    private HostTransition? Decide(HostHealthSample host, HostView view, DateTimeOffset now, string origin)
    {
        var o = _options;
        if (host.ComplianceHold is { } hold && host.State != HostState.Offline)
        {
            // Compliance stops it: a host never Ready stays Pending, any other is Paused; the reason names every rule.
            var heldIn = host.State == HostState.Pending ? HostState.Pending : HostState.Paused;
            if (view.Silence < o.OfflineGracePeriod && (host.State != heldIn || host.StateReason != hold)
                && (host.State is HostState.Ready or HostState.Suspect || view.HeardSinceStateChange))
                return new HostTransition(host.HostId, host.State, heldIn, hold, now);
        }
        else if (host.ComplianceHold is { } offlineHold && view.HeardSinceStateChange)
        {
            // Back from Offline while held.
            return new HostTransition(host.HostId, host.State, HostState.Paused, offlineHold, now);
        }

        if (view.HeardSinceStateChange && host.State != HostState.Ready && host.ComplianceHold is null)
        {
            var after = DurationText.Format(host.LastHeardAt!.Value - host.StateSince);
            var reason = host.State switch
            {
                HostState.Paused => HoldLifted,
                HostState.Pending when HostHold.IsHold(host.StateReason) => HoldLifted,
                HostState.Pending => $"first heartbeat received {after} after registration",
                _ => $"heartbeats resumed after {after} {host.State}",
            };
            return new HostTransition(host.HostId, host.State, HostState.Ready, reason, now);
        }

        if (host.State != HostState.Offline && view.Silence >= o.OfflineGracePeriod)
            return null; // past the grace period: waits for its zone's token

        if (host.State == HostState.Ready && view.Silence >= o.SuspectAfter)
            return new HostTransition(host.HostId, HostState.Ready, HostState.Suspect, SuspectReason(view, origin), now);

        return null;
    }

    // A host past the grace period that no other rule moved: Offline if its zone has a token, else it waits as Suspect.
    private HostTransition? TakeToken(HostHealthSample host, HostView view, DateTimeOffset now, bool held, string origin, ref int deferred)
    {
        var zone = ZoneKey(host.Zone);
        if (!held && _buckets[zone].TryTake(now))
        {
            var reason = string.Create(CultureInfo.InvariantCulture,
                $"{Silent(view, origin)}, past the {DurationText.Format(_options.OfflineGracePeriod)} grace period");
            return new HostTransition(host.HostId, host.State, HostState.Offline, reason, now);
        }

        // Rate-limited or held: the host waits as Suspect (a Pending host stays Pending) and is retried next round.
        deferred++;
        if (host.State != HostState.Ready)
            return null;
        var why = held ? "Offline held: mass silence" : $"Offline deferred by the rate limit of zone {zone}";
        return new HostTransition(host.HostId, HostState.Ready, HostState.Suspect, $"{SuspectReason(view, origin)}; {why}", now);
    }

    private string SuspectReason(HostView view, string origin)
    {
        var interval = _options.HeartbeatInterval;
        var missed = view.Silence.Ticks / interval.Ticks;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Silent(view, origin)} ({missed} interval{(missed == 1 ? "" : "s")} of {DurationText.Format(interval)} missed)");
    }

    private static string Silent(HostView view, string origin) =>
        view.CountedFromStart
            ? $"no heartbeat for {DurationText.Format(view.Silence)} {origin}"
            : $"no heartbeat for {DurationText.Format(view.Silence)}";

    private (double Rate, int Burst) OfflineRate(ZoneDisruption state, int size) => state switch
    {
        // Kubernetes ReducedQPSFunc: a large zone in partial disruption slows to the secondary rate (burst 1),
        // a small one stops, since its silence more likely is a network partition than dead machines.
        ZoneDisruption.PartialDisruption => size > _options.LargeZoneThreshold
            ? (_options.SecondaryOfflineTransitionsPerSecond, 1)
            : (0, 0),
        // A zone that is wholly down (while others are up) really is down: fail it over at the normal rate.
        _ => (_options.OfflineTransitionsPerSecond, _options.OfflineBurst),
    };

    private HostView[] Observe(IReadOnlyList<HostHealthSample> hosts, DateTimeOffset now, DateTimeOffset countFrom)
    {
        var views = new HostView[hosts.Count];
        for (var i = 0; i < hosts.Count; i++)
        {
            var h = hosts[i];
            var lastSign = h.LastHeardAt ?? h.StateSince;
            var fromStart = countFrom > lastSign;
            var silence = now - (fromStart ? countFrom : lastSign);
            if (silence < TimeSpan.Zero)
                silence = TimeSpan.Zero;
            var heard = h.LastHeardAt is { } heardAt && heardAt > h.StateSince;
            var recovering = heard && h.State != HostState.Ready;
            var unhealthy = silence >= _options.SuspectAfter
                || (!recovering && h.State is HostState.Suspect or HostState.Offline);
            views[i] = new HostView(silence, fromStart, heard, unhealthy);
        }

        return views;
    }

    private Dictionary<string, (int Size, int Unhealthy, ZoneDisruption State)> Tally(
        IReadOnlyList<HostHealthSample> hosts, HostView[] views)
    {
        var counts = new Dictionary<string, (int Size, int Unhealthy)>(StringComparer.Ordinal);
        for (var i = 0; i < hosts.Count; i++)
        {
            ref var c = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, ZoneKey(hosts[i].Zone), out _);
            c = (c.Size + 1, c.Unhealthy + (views[i].Unhealthy ? 1 : 0));
        }

        var zones = new Dictionary<string, (int, int, ZoneDisruption)>(StringComparer.Ordinal);
        foreach (var (zone, (size, unhealthy)) in counts)
            zones[zone] = (size, unhealthy, Disruption(size, unhealthy));
        return zones;
    }

    // Kubernetes ComputeZoneState: full when no host is healthy; partial when more than 2 and at least the threshold are not.
    private ZoneDisruption Disruption(int size, int unhealthy) =>
        size > 0 && unhealthy == size ? ZoneDisruption.FullDisruption
        : unhealthy > 2 && (double)unhealthy / size >= _options.UnhealthyZoneThreshold ? ZoneDisruption.PartialDisruption
        : ZoneDisruption.Normal;

    // Compares two hosts by index: the longer silent first, then by id.
    private static Comparison<int> LongestSilenceFirst(IReadOnlyList<HostHealthSample> hosts, HostView[] views) => (a, b) =>
    {
        var bySilence = views[b].Silence.CompareTo(views[a].Silence);
        return bySilence != 0 ? bySilence : string.CompareOrdinal(hosts[a].HostId, hosts[b].HostId);
    };

    private static string ZoneKey(string? zone) => (zone ?? "").Trim().ToUpperInvariant();

    private static void EnsureUniqueIds(IReadOnlyList<HostHealthSample> hosts)
    {
        var seen = new HashSet<string>(hosts.Count, StringComparer.Ordinal);
        foreach (var h in hosts)
        {
            if (h.HostId is null)
                throw new ArgumentException("a host has no id", nameof(hosts));
            if (!seen.Add(h.HostId))
                throw new ArgumentException($"host '{h.HostId}' appears more than once", nameof(hosts));
        }
    }
}

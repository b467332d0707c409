using Gpunet.Core.Hosts;
using Gpunet.Core.Metering;

namespace Gpunet.Simulation;

/// <summary>One coordinator process over the shared <see cref="SimStore"/>: it keeps streams, heard timelines and health
/// in memory, and loses all of that when it crashes; what it commits survives. Every store change goes through
/// <see cref="Write"/>, which commits whole or not at all, may fail, and may be slow (a slow write caught by a crash has
/// committed or not, at random: the coordinator never learns which).</summary>
/// <remarks>The rules are the core's, as the real coordinator's services call them: <see cref="HostHealthPolicy"/>,
/// <see cref="HeardTimeline"/>, <see cref="UsageCheck"/>, the lease lifecycle, metered seconds, lease charges and the
/// ledger book. The market, metering and settlement parts are <see cref="SimMarket"/>, <see cref="SimMetering"/> and
/// <see cref="SimSettlement"/>.</remarks>
internal sealed class SimCoordinator
{
    private static readonly string[] Zones = ["DE", "FR", "US", "JP"];

    private readonly Scheduler _clock;
    private readonly SimRandom _random;
    private readonly ChaosOptions _options;
    private readonly Truth _truth;
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HeardTimeline> _heard = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _persistedHeard = new(StringComparer.Ordinal);
    private readonly List<(Action Commit, Action? Then)> _pending = [];
    private HostHealthPolicy _health = null!;

    public SimCoordinator(Scheduler clock, SimRandom random, ChaosOptions options, SimStore store, Truth truth)
    {
        _clock = clock;
        _random = random;
        _options = options;
        _truth = truth;
        Store = store;
        Market = new SimMarket(this, clock, random, options, truth);
        Metering = new SimMetering(this, clock, options, truth);
        Settlement = new SimSettlement(this, clock, options, truth);
        Logs = new SimLogIntake(this, clock, options, truth);
    }

    public SimStore Store { get; }

    public VirtualNetwork Network { get; set; } = null!;

    public SimMarket Market { get; }

    public SimMetering Metering { get; }

    public SimSettlement Settlement { get; }

    public SimLogIntake Logs { get; }

    /// <summary>Counts process starts: a stream, timer or write of an earlier process does nothing in a later one.</summary>
    public int Generation { get; private set; }

    public bool Up { get; private set; }

    public long StartedMs { get; private set; }

    /// <summary>Share of writes that fail, and of writes that are slow, while the store misbehaves.</summary>
    public (double Fail, double Slow) StoreFaults { get; set; }

    /// <summary>Longest silence between heartbeats that still counts as heard (the real coordinator's two heartbeats
    /// and half a second).</summary>
    public long MaxHeardGapMs => _options.HeartbeatMs * 2 + 500;

    /// <summary>Starts a process: loads what the store holds and starts its loops.</summary>
    public void Start()
    {
        Generation++;
        Up = true;
        StartedMs = _clock.Now;
        _health = new HostHealthPolicy(new HostHealthOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(_options.HeartbeatMs),
            OfflineGracePeriod = TimeSpan.FromMilliseconds(_options.OfflineGraceMs),
        });
        foreach (var h in Store.Hosts)
        {
            // As HostEntry: a host's heard timeline starts from the heard period the last process stored.
            var timeline = new HeardTimeline(MaxHeardGapMs);
            if (h is { HeardSinceMs: { } since, LastHeardMs: { } last })
                timeline.Seed(since, last);
            _heard[h.Id] = timeline;
            _persistedHeard[h.Id] = h.LastHeardMs ?? long.MinValue;
        }

        // Nothing else to rebuild: the queue is the store's pending leases, read at each placement round.
        Every(_options.HeartbeatMs, Monitor);
        Every(200, Market.Place);
        Every(1_000, Settlement.Tick);
        Every(_options.PersistHeardMs, PersistHeard);
    }

    /// <summary>SIGKILL: memory is gone; each slow write in flight has committed or not.</summary>
    public void Crash()
    {
        if (!Up)
            return;
        Up = false;
        foreach (var (commit, _) in _pending)
        {
            if (_random.Chance(0.5))
                commit();
        }

        _pending.Clear();
        Network.CoordinatorDied(Generation);
        _sessions.Clear();
        _heard.Clear();
        _persistedHeard.Clear();
        Market.Forget();
        Metering.Forget();
        Settlement.Forget();
    }

    /// <summary>Commits <paramref name="commit"/> to the store, then runs <paramref name="then"/> (answers, commands);
    /// a failed write does neither and runs <paramref name="failed"/>.</summary>
    public void Write(Action commit, Action? then = null, Action? failed = null)
    {
        if (_random.Chance(StoreFaults.Fail))
        {
            _truth.Counters.WritesFailed++;
            failed?.Invoke();
            return;
        }

        if (_random.Chance(StoreFaults.Slow))
        {
            _truth.Counters.WritesSlow++;
            var write = (commit, then);
            _pending.Add(write);
            var generation = Generation;
            _clock.After(_random.Between(50, 3_000), () =>
            {
                if (generation != Generation || !_pending.Remove(write))
                    return;
                commit();
                then?.Invoke();
            });
            return;
        }

        commit();
        then?.Invoke();
    }

    /// <summary>Sends to the host's agent over its current stream, if it has one.</summary>
    public void Send(string hostId, CoordinatorMessage message)
    {
        if (_sessions.TryGetValue(hostId, out var s))
            Network.ToAgent(s, message);
    }

    public bool Connected(string hostId) => _sessions.ContainsKey(hostId);

    public HeardTimeline Heard(string hostId) => _heard[hostId];

    /// <summary>A message from an agent, on <paramref name="s"/> (an older stream's late message included).</summary>
    public void Receive(Session s, AgentMessage message)
    {
        var host = s.Agent.HostId;
        switch (message)
        {
            case Hello hello:
                _sessions[host] = s;
                HeardFrom(host);
                Market.Hello(host, hello);
                break;
            case Heartbeat:
                HeardFrom(host);
                break;
            case UsageMessage usage:
                Metering.Take(host, usage);
                break;
            case StartedMessage started:
                Market.Started(host, started);
                break;
            case LogBatch lines:
                Logs.Take(host, lines);
                break;
            case EndedMessage ended:
                Market.Ended(host, ended);
                break;
        }
    }

    /// <summary>The stream closed (the agent died, or a side gave up on it).</summary>
    public void StreamClosed(Session s)
    {
        if (!Up || s.Generation != Generation)
            return;
        var host = s.Agent.HostId;
        if (_sessions.TryGetValue(host, out var current) && current == s)
        {
            _sessions.Remove(host);
            Market.StreamClosed(host);
        }
    }

    /// <summary>Answers the message with key <paramref name="key"/>: the agent may forget it.</summary>
    public void Acknowledge(string hostId, string key) => Send(hostId, new Acknowledged(key));

    private void HeardFrom(string host)
    {
        _heard[host].Heard(_clock.Now);
        _truth.Heard(host, _clock.Now);
        Metering.Heard(host);
    }

    private void Every(long intervalMs, Action tick)
    {
        var generation = Generation;
        void Run()
        {
            if (generation != Generation || !Up)
                return;
            tick();
            _clock.After(intervalMs, Run);
        }

        _clock.After(_random.Between(1, intervalMs), Run);
    }

    private void Monitor()
    {
        var samples = Store.Hosts.Select(h => new HostHealthSample(h.Id, h.State, DateTimeOffset.FromUnixTimeMilliseconds(h.StateSinceMs),
            Zones[h.Index % Zones.Length], _heard[h.Id].LastHeardMs is var heard and > long.MinValue ? DateTimeOffset.FromUnixTimeMilliseconds(heard) : null,
            null, h.StateReason)).ToList();
        var now = DateTimeOffset.FromUnixTimeMilliseconds(_clock.Now);
        var evaluation = _health.Evaluate(samples, now, DateTimeOffset.FromUnixTimeMilliseconds(StartedMs));
        foreach (var t in evaluation.Transitions)
        {
            var host = Store.HostsById[t.HostId];
            Write(() =>
            {
                if (host.State != t.From)
                    return;
                host.State = t.To;
                host.StateSinceMs = _clock.Now;
                host.StateReason = t.Reason;
                if (t.To == HostState.Offline)
                    Market.HostLost(host);
            });
        }

        Market.Watch();
        Metering.ReleaseWaiting();
    }

    // As HostMonitor: each host's last-heard second, and since when it was heard without a longer silence.
    private void PersistHeard()
    {
        var rows = new List<(StoredHost Host, long Second, long Since, long Heard)>();
        foreach (var h in Store.Hosts)
        {
            var timeline = _heard[h.Id];
            var heard = timeline.LastHeardMs;
            if (heard <= _persistedHeard[h.Id])
                continue;
            // To the tenth of a second, never later (last heard) or earlier (heard since) than the truth.
            var second = heard - (heard % 100);
            var since = timeline.HeardSinceMs(second) is { } s ? (s + 99) / 100 * 100 : second + 100;
            rows.Add((h, second, since, heard));
        }

        if (rows.Count == 0)
            return;
        Write(() =>
        {
            foreach (var (h, second, since, _) in rows)
                (h.LastHeardMs, h.HeardSinceMs) = (second, since);
        }, () =>
        {
            foreach (var (h, _, _, heard) in rows)
                _persistedHeard[h.Id] = Math.Max(_persistedHeard[h.Id], heard);
        });
    }
}

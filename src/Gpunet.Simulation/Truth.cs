using Gpunet.Core.Metering;

namespace Gpunet.Simulation;

/// <summary>What really happened, as only the simulation can know it: every heartbeat any coordinator heard (across
/// crashes), when the coordinator was down, when each host was at fault, which orders customers saw accepted. The
/// invariants compare the store against it; the coordinator never reads it.</summary>
internal sealed class Truth
{
    private readonly Dictionary<string, HeardTimeline> _heard = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(long From, long To)>> _hostFaults = new(StringComparer.Ordinal);
    private readonly long _maxGapMs;

    public Truth(long maxGapMs) => _maxGapMs = maxGapMs;

    /// <summary>Coordinator outages, [crash, restart); the last one's end is <see cref="long.MaxValue"/> while it lasts.</summary>
    public List<(long From, long To)> Outages { get; } = [];

    /// <summary>Orders a customer was told were accepted.</summary>
    public HashSet<string> AcceptedOrders { get; } = new(StringComparer.Ordinal);

    /// <summary>Times each epoch's settlement committed.</summary>
    public Dictionary<long, int> Settlements { get; } = [];

    public ChaosCounters Counters { get; } = new();

    /// <summary>Lines each attempt's workload wrote.</summary>
    public Dictionary<(string Lease, int Attempt), long> Lines { get; } = [];

    /// <summary>Attempts whose agent died with some of their lines unsent.</summary>
    public HashSet<(string Lease, int Attempt)> LinesLost { get; } = [];

    /// <summary>Lines the coordinator took and dropped on purpose: their attempt was over (the lease moved on) or they
    /// came later than the lateness after the lease's end.</summary>
    public HashSet<(string Lease, int Attempt, long First, long Last)> LinesDropped { get; } = [];

    public void LinesProduced(string lease, int attempt, long last) => Lines[(lease, attempt)] = last;

    public void LinesLostWithAgent(string lease, int attempt) => LinesLost.Add((lease, attempt));

    /// <summary>A heartbeat of <paramref name="host"/> reached a coordinator at <paramref name="nowMs"/>.</summary>
    public void Heard(string host, long nowMs) => Timeline(host).Heard(nowMs);

    /// <summary>Milliseconds of [from, to) in which some coordinator heard the host.</summary>
    public long HeardMs(string host, long fromMs, long toMs) => Timeline(host).HeardMs(fromMs, toMs);

    /// <summary>The host was at fault over [from, to): its agent crashed, froze, or its network was cut.</summary>
    public void HostFault(string host, long fromMs, long toMs)
    {
        if (!_hostFaults.TryGetValue(host, out var faults))
            _hostFaults[host] = faults = [];
        faults.Add((fromMs, toMs));
    }

    /// <summary>Whether the host was at fault at some moment of [from, to].</summary>
    public bool HostAtFault(string host, long fromMs, long toMs) =>
        _hostFaults.TryGetValue(host, out var faults) && faults.Exists(f => f.From <= toMs && f.To >= fromMs);

    /// <summary>Whether the coordinator was down at some moment of [from, to].</summary>
    public bool CoordinatorDown(long fromMs, long toMs) => Outages.Exists(o => o.From <= toMs && o.To >= fromMs);

    public void CoordinatorCrashed(long nowMs) => Outages.Add((nowMs, long.MaxValue));

    public void CoordinatorRestarted(long nowMs) => Outages[^1] = (Outages[^1].From, nowMs);

    private HeardTimeline Timeline(string host)
    {
        if (!_heard.TryGetValue(host, out var timeline))
            _heard[host] = timeline = new HeardTimeline(_maxGapMs, horizonMs: long.MaxValue / 4);
        return timeline;
    }
}

using Gpunet.Coordinator.Agents;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Hosts;
using Gpunet.Core.Metering;
using Gpunet.Protocol;
using Google.Protobuf.Collections;

namespace Gpunet.Coordinator.Hosts;

/// <summary>A host's live state in the coordinator's memory; the store holds the durable copy.</summary>
/// <remarks>
/// The heartbeat path touches only <see cref="RecordHeartbeat"/> (a few plain writes, no lock, no I/O, no allocation) and
/// the host's <see cref="Core.Metering.HeardTimeline"/> (one uncontended lock; it allocates only when a silence ends a
/// heard period). State changes happen under the entry's lock, made by registration and the host monitor.
/// </remarks>
internal sealed class HostEntry
{
    private readonly Lock _lock = new();
    private long _lastHeardUtcTicks;
    private long _heardElsewhereUtcTicks;
    private long _heartbeats;
    private RepeatedField<GpuStatus>? _gpuStatus;
    private AgentSession? _session;
    private HeardTimeline? _heard;
    private System.Net.IPAddress? _place;
    private readonly (DateTimeOffset Since, DateTimeOffset Last)? _storedHeard;

    /// <summary>Whether <paramref name="caller"/> (a wallet's address, as its token names it) is this host's operator.</summary>
    public bool IsOperatedBy(string? caller) => caller is not null && string.Equals(caller, Record.Address, StringComparison.OrdinalIgnoreCase);

    public HostEntry(HostRecord record)
    {
        Record = record;
        State = Enum.Parse<HostState>(record.State);
        StateReason = record.StateReason;
        StateSince = record.StateSince;
        _lastHeardUtcTicks = record.LastHeardAt?.UtcTicks ?? 0;
        PersistedHeardUtcTicks = _lastHeardUtcTicks;
        PersistedHeardSince = record.HeardSince;
        // What the store says was heard, kept apart from the record (which registration replaces) until the timeline is
        // made. A row stored before heard-since times were seeds nothing: its last-heard time alone proves no period.
        _storedHeard = record is { HeardSince: { } since, LastHeardAt: { } last } ? (since, last) : null;
    }

    public string Id => Record.Id;

    /// <summary>The agent's probe endpoint as its latest registration advertised it (checked); null when none.</summary>
    public string? ProbeEndpoint { get; set; }

    /// <summary>Whether the agent's latest registration said it runs with <c>--honeypot</c> (it heeds traps); never
    /// shown.</summary>
    public bool HoneypotAgent { get; set; }

    /// <summary>The registered description; replaced whole on re-registration, never mutated.</summary>
    public HostRecord Record { get; private set; }

    public HostState State { get; private set; }
    public string StateReason { get; private set; }
    public DateTimeOffset StateSince { get; private set; }

    /// <summary>Last heartbeat (or registration) time, UTC; null if never heard.</summary>
    public DateTimeOffset? LastHeardAt
    {
        get
        {
            var t = Volatile.Read(ref _lastHeardUtcTicks);
            return t == 0 ? null : new DateTimeOffset(t, TimeSpan.Zero);
        }
    }

    internal long LastHeardUtcTicks => Volatile.Read(ref _lastHeardUtcTicks);

    /// <summary>What the store last recorded as <see cref="LastHeardAt"/>; touched only by the monitor.</summary>
    internal long PersistedHeardUtcTicks { get; set; }

    /// <summary>What the store last recorded as the host's heard-since time; touched only by the monitor.</summary>
    internal DateTimeOffset? PersistedHeardSince { get; set; }

    public long Heartbeats => Volatile.Read(ref _heartbeats);

    /// <summary>Per-GPU status from the latest heartbeat; null before the first.</summary>
    public RepeatedField<GpuStatus>? GpuStatus => Volatile.Read(ref _gpuStatus);

    public bool Connected => Volatile.Read(ref _session) is not null;

    /// <summary>The public address the host last registered from (the stream it is on); null when unknown.</summary>
    public System.Net.IPAddress? Place
    {
        get => Volatile.Read(ref _place);
        set => Volatile.Write(ref _place, value);
    }

    public AgentSession? Session => Volatile.Read(ref _session);

    /// <summary>Records a heartbeat. Called on the hot path: keep it tiny.</summary>
    public void RecordHeartbeat(Heartbeat heartbeat, long nowUtcTicks)
    {
        Volatile.Write(ref _lastHeardUtcTicks, nowUtcTicks);
        if (heartbeat.Gpus.Count > 0)
            Volatile.Write(ref _gpuStatus, heartbeat.Gpus);
        _heartbeats++; // a single reader loop per host writes this; readers tolerate a stale count
    }

    /// <summary>The periods this coordinator heard the host, for metering; made on first use, seeded with the heard
    /// period the store held when this entry was loaded (what a coordinator before a restart heard).</summary>
    /// <remarks>Fed by the agent's stream after each <see cref="RecordHeartbeat"/>; kept across reconnections, so a short
    /// break between two streams is heard and a long one is not.</remarks>
    public HeardTimeline HeardTimeline(long maxGapMs) =>
        Volatile.Read(ref _heard) ?? Interlocked.CompareExchange(ref _heard, Seeded(maxGapMs), null) ?? _heard!;

    /// <summary>The heard timeline if it was made; null before the host first registered with this coordinator.</summary>
    internal HeardTimeline? HeardTimelineIfMade => Volatile.Read(ref _heard);

    private HeardTimeline Seeded(long maxGapMs)
    {
        var timeline = new HeardTimeline(maxGapMs);
        if (_storedHeard is var (since, last))
            timeline.Seed(since.ToUnixTimeMilliseconds(), last.ToUnixTimeMilliseconds());
        return timeline;
    }

    /// <summary>What the store says another coordinator last heard, in UTC ticks (0: nothing): this coordinator does not
    /// write it back, since it did not hear it.</summary>
    internal long HeardElsewhereUtcTicks => Volatile.Read(ref _heardElsewhereUtcTicks);

    /// <summary>Takes a last-heard time another coordinator stored, when it is later than what this one knows: a host's
    /// liveness is decided from the freshest heartbeat any coordinator heard.</summary>
    public void HeardElsewhere(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        Volatile.Write(ref _heardElsewhereUtcTicks, Math.Max(ticks, Volatile.Read(ref _heardElsewhereUtcTicks)));
        var seen = Volatile.Read(ref _lastHeardUtcTicks);
        while (ticks > seen)
        {
            var was = Interlocked.CompareExchange(ref _lastHeardUtcTicks, ticks, seen);
            if (was == seen)
                return;
            seen = was;
        }
    }

    /// <summary>Takes the state the store holds when it is at least as new as this coordinator's (another coordinator
    /// moved the host); returns whether the state changed. A transition this one made and has not stored yet is newer
    /// and stays.</summary>
    public bool AdoptStoredState(HostRecord stored)
    {
        if (!Enum.TryParse<HostState>(stored.State, out var state))
            return false;
        lock (_lock)
        {
            if (stored.StateSince < StateSince || (state == State && stored.StateReason == StateReason))
                return false;
            State = state;
            StateReason = stored.StateReason;
            StateSince = stored.StateSince;
            return true;
        }
    }

    /// <summary>Marks the host heard now without a heartbeat (on registration).</summary>
    public void Touch(DateTimeOffset now) => Volatile.Write(ref _lastHeardUtcTicks, now.UtcTicks);

    public void ReplaceRecord(HostRecord record)
    {
        lock (_lock)
            Record = record;
    }

    /// <summary>Moves the host to <paramref name="to"/> if it is still in <paramref name="from"/>.</summary>
    public bool TryTransition(HostState from, HostState to, string reason, DateTimeOffset at)
    {
        lock (_lock)
        {
            if (State != from)
                return false;
            State = to;
            StateReason = reason;
            StateSince = at;
            return true;
        }
    }

    /// <summary>Attaches a new agent stream and returns the one it replaces, if any.</summary>
    public AgentSession? Attach(AgentSession session) => Interlocked.Exchange(ref _session, session);

    /// <summary>Detaches <paramref name="session"/> if it is still the current one.</summary>
    public void Detach(AgentSession session) => Interlocked.CompareExchange(ref _session, null, session);

    /// <summary>A consistent copy of the state triple.</summary>
    public (HostState State, string Reason, DateTimeOffset Since) Snapshot()
    {
        lock (_lock)
            return (State, StateReason, StateSince);
    }
}

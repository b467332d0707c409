using Gpunet.Core.Hosts;
using Gpunet.Core.Marketplace;
using Gpunet.Core.Metering;

namespace Gpunet.Simulation;

/// <summary>A host's agent: heartbeats, runs what it is told on the GPUs it is told, reports usage per attempt, and keeps
/// every report until the coordinator acknowledges it, sending it again on each new stream (as the real agent's
/// <c>LeaseOutbox</c> does). It can crash (its workloads die with it), freeze, and run on a skewed clock.</summary>
internal sealed class SimAgent(string hostId, Scheduler clock, SimRandom random, ChaosOptions options, Truth truth)
{
    private readonly Dictionary<string, Workload> _workloads = new(StringComparer.Ordinal);
    private readonly List<Reliable> _outbox = [];
    private bool _connecting;
    private int _failedConnects;

    public VirtualNetwork Network { get; set; } = null!;

    public string HostId { get; } = hostId;

    /// <summary>Its clock minus the coordinator's.</summary>
    public long SkewMs { get; set; }

    /// <summary>Counts process starts: what an earlier process scheduled does not run in a later one.</summary>
    public int Incarnation { get; private set; }

    public bool Alive { get; private set; }

    public long FrozenUntil { get; private set; }

    public long UpBlockedUntil { get; set; }

    public long DownBlockedUntil { get; set; }

    public Session? Session { get; private set; }

    /// <summary>Log batches still waiting in the outbox for the coordinator's answer.</summary>
    public IEnumerable<LogBatch> WaitingLines => _outbox.OfType<LogBatch>();

    /// <summary>Workloads running now, by lease (for the GPU invariant).</summary>
    public IReadOnlyCollection<Workload> Workloads => _workloads.Values;

    private long AgentNow => clock.Now + SkewMs;

    /// <summary>Runs <paramref name="action"/> after <paramref name="delayMs"/> in this process: not at all if it died
    /// meanwhile, and not before it thaws.</summary>
    public void Later(long delayMs, Action action)
    {
        var incarnation = Incarnation;
        clock.After(delayMs, () => RunIfAlive(incarnation, action));
    }

    /// <summary>Starts the agent process: heartbeats and a stream to the coordinator.</summary>
    public void Boot()
    {
        Incarnation++;
        Alive = true;
        _failedConnects = 0;
        _connecting = false;
        Later(random.Between(0, options.HeartbeatMs), HeartbeatTick);
        Connect();
    }

    /// <summary>SIGKILL: the process and its workloads are gone; it starts again after <paramref name="downMs"/>.</summary>
    public void Crash(long downMs)
    {
        if (!Alive)
            return;
        Alive = false;
        Incarnation++;
        if (Session is { } s)
            Network.Break(s);
        Session = null;
        // The workloads' output not yet stored dies with the process, as with the real agent's in-memory outbox.
        foreach (var w in _workloads.Values)
            truth.LinesLostWithAgent(w.Lease, w.Attempt);
        foreach (var batch in _outbox.OfType<LogBatch>())
            truth.LinesLostWithAgent(batch.Lease, batch.Attempt);
        _workloads.Clear();
        _outbox.Clear();
        truth.HostFault(HostId, clock.Now, clock.Now + downMs + options.HeartbeatMs);
        clock.After(downMs, Boot);
    }

    /// <summary>SIGSTOP for <paramref name="durationMs"/>: nothing runs in the agent (its workloads go on); the coordinator
    /// closes a stream silent for longer than the keepalive.</summary>
    public void Freeze(long durationMs)
    {
        if (!Alive)
            return;
        FrozenUntil = Math.Max(FrozenUntil, clock.Now + durationMs);
        truth.HostFault(HostId, clock.Now, FrozenUntil);
        if (durationMs > options.KeepaliveMs && Session is { } s)
            clock.After(options.KeepaliveMs, () => Network.Break(s));
    }

    /// <summary>The stream broke: connect again.</summary>
    public void SessionLost(Session s)
    {
        if (Session != s)
            return;
        Session = null;
        // As the real agent: each running lease's usage is reported up to the broken stream, so no report spans a
        // coordinator restart (the store keeps only a host's latest heard period).
        foreach (var w in _workloads.Values.ToList())
            Report(w, Math.Min(AgentNow, w.EndsAt + SkewMs));
        Connect();
    }

    public void Receive(Session s, CoordinatorMessage message)
    {
        switch (message)
        {
            case StartCommand start:
                Start(start);
                break;
            case StopCommand stop when _workloads.TryGetValue(stop.Lease, out var w) && w.Attempt == stop.Attempt:
                Finish(w, LeaseEndReason.Cancelled, AgentNow);
                break;
            case Acknowledged ack:
                _outbox.RemoveAll(m => m.Key == ack.Key);
                break;
        }
    }

    private void RunIfAlive(int incarnation, Action action)
    {
        if (incarnation != Incarnation || !Alive)
            return;
        if (FrozenUntil > clock.Now)
        {
            clock.At(FrozenUntil, () => RunIfAlive(incarnation, action));
            return;
        }

        action();
    }

    private void HeartbeatTick()
    {
        if (Session is { } s)
            Network.ToCoordinator(s, Heartbeat.Instance);
        Later(options.HeartbeatMs, HeartbeatTick);
    }

    private void Connect()
    {
        if (Session is not null || _connecting)
            return;
        _connecting = true;
        Later(Network.Latency() * 2, () =>
        {
            _connecting = false;
            if (Session is not null)
                return;
            if (Network.Connect(this) is not { } s)
            {
                // As the real agent: exponential backoff, capped at one heartbeat so the host is back before Suspect.
                var delay = ReconnectBackoff.Delay(_failedConnects++, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30),
                    TimeSpan.FromMilliseconds(options.HeartbeatMs), random.Next());
                Later((long)delay.TotalMilliseconds, Connect);
                return;
            }

            _failedConnects = 0;
            Session = s;
            Network.ToCoordinator(s, new Hello([
                .. _workloads.Values.Select(w => (w.Lease, w.Attempt)),
                .. _outbox.OfType<EndedMessage>().Select(e => (e.Lease, e.Attempt)),
            ]));
            foreach (var m in _outbox)
                Network.ToCoordinator(s, m);
        });
    }

    private void Start(StartCommand command)
    {
        if (_workloads.TryGetValue(command.Lease, out var running))
        {
            if (running.Attempt == command.Attempt)
            {
                // Told again (the coordinator did not hear it started): say so again.
                Send(new StartedMessage(running.Lease, running.Attempt, running.StartedAgentMs));
                return;
            }

            Finish(running, LeaseEndReason.WorkloadLost, AgentNow);
        }

        // The coordinator gave these GPUs to this lease: whatever still runs on them here was moved away meanwhile.
        foreach (var other in _workloads.Values.Where(w => w.Gpus.Intersect(command.Gpus).Any()).ToList())
            Finish(other, LeaseEndReason.WorkloadLost, AgentNow);

        var workload = new Workload(command.Lease, command.Attempt, command.Gpus, AgentNow, clock.Now + command.DurationMs);
        _workloads[command.Lease] = workload;
        Send(new StartedMessage(workload.Lease, workload.Attempt, workload.StartedAgentMs));
        Later(options.UsageIntervalMs, () => UsageTick(workload));
        Later(command.DurationMs, () => Complete(workload));
    }

    private void UsageTick(Workload w)
    {
        if (!IsCurrent(w))
            return;
        Report(w, Math.Min(AgentNow, w.EndsAt + SkewMs));
        Output(w);
        Later(options.UsageIntervalMs, () => UsageTick(w));
    }

    // Runs when the agent notices the exit (late, if it was frozen); the period ends when the workload did.
    private void Complete(Workload w)
    {
        if (IsCurrent(w))
            Finish(w, LeaseEndReason.Completed, w.EndsAt + SkewMs);
    }

    private void Finish(Workload w, LeaseEndReason reason, long endAgentMs)
    {
        Report(w, endAgentMs);
        Output(w);
        _workloads.Remove(w.Lease);
        Send(new EndedMessage(w.Lease, w.Attempt, reason));
    }

    private void Report(Workload w, long toAgentMs)
    {
        if (toAgentMs <= w.ReportedThroughAgentMs)
            return;
        w.Sequence++;
        Send(new UsageMessage(new UsageStatement(w.Lease, HostId, w.ReportedThroughAgentMs, toAgentMs, w.Gpus.Length, 1000, w.Sequence, w.Attempt)));
        w.ReportedThroughAgentMs = toAgentMs;
    }

    // What the workload wrote since the last batch: zero to five lines.
    private void Output(Workload w)
    {
        var count = random.Index(6);
        if (count == 0)
            return;
        var first = w.Lines + 1;
        w.Lines += count;
        truth.LinesProduced(w.Lease, w.Attempt, w.Lines);
        Send(new LogBatch(w.Lease, w.Attempt, first, w.Lines));
    }

    private void Send(Reliable message)
    {
        if (!_outbox.Exists(m => m.Key == message.Key))
            _outbox.Add(message);
        if (Session is { } s)
            Network.ToCoordinator(s, message);
    }

    private bool IsCurrent(Workload w) => _workloads.TryGetValue(w.Lease, out var now) && ReferenceEquals(now, w);

    /// <summary>One attempt of a lease running here.</summary>
    internal sealed class Workload(string lease, int attempt, int[] gpus, long startedAgentMs, long endsAt)
    {
        public string Lease { get; } = lease;

        public int Attempt { get; } = attempt;

        public int[] Gpus { get; } = gpus;

        public long StartedAgentMs { get; } = startedAgentMs;

        /// <summary>When the workload exits on its own, on the coordinator's clock.</summary>
        public long EndsAt { get; } = endsAt;

        public long ReportedThroughAgentMs { get; set; } = startedAgentMs;

        public long Sequence { get; set; }

        /// <summary>Output lines written so far.</summary>
        public long Lines { get; set; }
    }
}

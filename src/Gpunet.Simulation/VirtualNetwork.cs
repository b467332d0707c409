namespace Gpunet.Simulation;

/// <summary>The network between agents and the coordinator: latency, partitions one way or both, connections that
/// break (losing what was in flight), messages that arrive twice or late.</summary>
/// <remarks>Each stream delivers in order, one message per step: a message waits for its latency, for a cut path to
/// heal, and for every message sent before it.</remarks>
internal sealed class VirtualNetwork(Scheduler clock, SimRandom random, ChaosOptions options, ChaosCounters counters)
{
    private readonly HashSet<Session> _open = [];

    public SimCoordinator Coordinator { get; set; } = null!;

    /// <summary>One-way latency of one message.</summary>
    public long Latency() => random.Between(1, 25);

    /// <summary>Opens a stream for <paramref name="agent"/>; null when the coordinator is down or the path is cut.</summary>
    public Session? Connect(SimAgent agent)
    {
        if (!Coordinator.Up || agent.UpBlockedUntil > clock.Now || agent.DownBlockedUntil > clock.Now)
            return null;
        var s = new Session(agent, Coordinator.Generation);
        _open.Add(s);
        return s;
    }

    /// <summary>Sends <paramref name="message"/> up the stream, behind what it already carries.</summary>
    public void ToCoordinator(Session s, AgentMessage message)
    {
        if (s.Broken)
            return;
        var late = random.Chance(options.LateDeliveryRate);
        s.Up.Enqueue((clock.Now + Latency(), message, late));
        if (message is Reliable && random.Chance(options.DuplicateRate))
        {
            counters.MessagesDuplicated++;
            s.Up.Enqueue((clock.Now + Latency(), message, late));
        }

        if (!s.UpPumping)
        {
            s.UpPumping = true;
            clock.At(s.Up.Peek().ReadyAt, () => PumpUp(s));
        }

        if (random.Chance(options.BreakRate))
            Break(s);
    }

    /// <summary>Sends <paramref name="message"/> down the stream to its agent.</summary>
    public void ToAgent(Session s, CoordinatorMessage message)
    {
        if (s.Broken)
            return;
        s.Down.Enqueue((clock.Now + Latency(), message));
        if (!s.DownPumping)
        {
            s.DownPumping = true;
            clock.At(s.Down.Peek().ReadyAt, () => PumpDown(s));
        }

        if (random.Chance(options.BreakRate))
            Break(s);
    }

    /// <summary>Closes the stream at both ends: each side learns of it (the agent once it runs again, if frozen). What
    /// was in flight is lost, or arrives late.</summary>
    public void Break(Session s)
    {
        if (s.Broken)
            return;
        s.Broken = true;
        _open.Remove(s);
        counters.ConnectionsBroken++;
        foreach (var (_, message, late) in s.Up)
        {
            if (!late)
            {
                counters.MessagesLost++;
                continue;
            }

            // Still in a buffer somewhere when the stream broke: arrives after messages of the streams that follow.
            counters.MessagesLate++;
            clock.After(random.Between(100, 2_000), () =>
            {
                if (Coordinator.Up && Coordinator.Generation == s.Generation)
                    Coordinator.Receive(s, message);
            });
        }

        counters.MessagesLost += s.Down.Count;
        s.Up.Clear();
        s.Down.Clear();
        clock.After(Latency(), () => Coordinator.StreamClosed(s));
        s.Agent.Later(Latency(), () => s.Agent.SessionLost(s));
    }

    /// <summary>Cuts the agent's path for <paramref name="durationMs"/>: towards the coordinator, towards the agent, or
    /// both. Messages wait; a cut longer than the keepalive closes the stream.</summary>
    public void Partition(SimAgent agent, bool up, bool down, long durationMs)
    {
        var until = clock.Now + durationMs;
        if (up)
            agent.UpBlockedUntil = Math.Max(agent.UpBlockedUntil, until);
        if (down)
            agent.DownBlockedUntil = Math.Max(agent.DownBlockedUntil, until);
        if (durationMs > options.KeepaliveMs && agent.Session is { } s)
            clock.After(options.KeepaliveMs, () => Break(s));
    }

    /// <summary>Every stream of the coordinator process is gone with it, whether or not its first message arrived.</summary>
    public void CoordinatorDied(int generation)
    {
        foreach (var s in _open.Where(s => s.Generation == generation).ToList())
            Break(s);
    }

    private void PumpUp(Session s)
    {
        if (s.Broken || s.Up.Count == 0)
        {
            s.UpPumping = false;
            return;
        }

        var (readyAt, message, _) = s.Up.Peek();
        var wait = Math.Max(readyAt, s.Agent.UpBlockedUntil);
        if (wait > clock.Now)
        {
            clock.At(wait, () => PumpUp(s));
            return;
        }

        s.Up.Dequeue();
        if (s.Up.Count > 0)
            clock.At(s.Up.Peek().ReadyAt, () => PumpUp(s));
        else
            s.UpPumping = false;
        if (Coordinator.Up && Coordinator.Generation == s.Generation)
            Coordinator.Receive(s, message);
        else
            counters.MessagesLost++;
    }

    private void PumpDown(Session s)
    {
        if (s.Broken || s.Down.Count == 0)
        {
            s.DownPumping = false;
            return;
        }

        var (readyAt, message) = s.Down.Peek();
        var wait = Math.Max(readyAt, s.Agent.DownBlockedUntil);
        if (wait > clock.Now)
        {
            clock.At(wait, () => PumpDown(s));
            return;
        }

        s.Down.Dequeue();
        if (s.Down.Count > 0)
            clock.At(s.Down.Peek().ReadyAt, () => PumpDown(s));
        else
            s.DownPumping = false;
        s.Agent.Later(0, () => s.Agent.Receive(s, message));
    }
}

using Gpunet.Coordinator.Agents;
using Gpunet.Coordinator.Observability;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Marketplace;
using Gpunet.Protocol;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>What the market tells agents: start a placed lease, stop one, forget an ended one's report. Commands are
/// queued on the agent's session and never awaited: an agent that stopped reading loses its session, not the market
/// its time; it reconciles when it registers again.</summary>
internal sealed class AgentCommands(OrderBook orders, LeaseStore store)
{
    /// <summary>Tells the host's agent to start a placed lease (again, if a new stream replaced the one it was sent on).</summary>
    /// <param name="stored">The lease as this coordinator just stored it (a placement's move to Starting); null reads
    /// it, as it may have moved on since it was held.</param>
    public async Task DispatchAsync(HeldLease held, AgentSession session, CancellationToken ct, LeaseRecord? stored = null)
    {
        var info = await orders.GetAsync(held.OrderId, ct);
        var lease = stored ?? await store.LeaseAsync(held.LeaseId, ct);
        if (info is null || lease is null || lease.State != nameof(LeaseState.Starting))
            return;
        var r = info.Request;
        using var span = CoordinatorTelemetry.StartDispatch(lease.Id, held.Slot.Entry.Id, lease.Attempt);
        var start = new StartLease
        {
            LeaseId = lease.Id,
            Attempt = lease.Attempt,
            GpuMilli = lease.GpuMilli,
            CpuMilli = r.Cpu,
            MemoryMib = r.MemoryMib,
            Runtime = r.Runtime,
            Port = r.Port ?? 0,
            Endpoint = info.Spec.Kind is WorkloadKind.Session or WorkloadKind.Service,
            MaxSeconds = info.Spec.Duration is { } d ? (long)Math.Max(1, Math.Ceiling(d.TotalSeconds)) : 0,
            Traceparent = CoordinatorTelemetry.Traceparent(span),
        };
        start.GpuIndices.AddRange(CapacityIndex.ParseIndices(lease.GpuIndices));
        start.Command.AddRange(r.Command);
        foreach (var (k, v) in r.Environment ?? new Dictionary<string, string>())
            start.Environment[k] = v;
        held.Sent(session);
        Send(session, new Command { Id = "start-" + lease.Id, StartLease = start });
    }

    /// <summary>Tells the agent to kill a lease's workload.</summary>
    public static void Stop(AgentSession session, string leaseId, string reason) =>
        Send(session, new Command { Id = "stop-" + leaseId, StopLease = new StopLease { LeaseId = leaseId, Reason = reason } });

    /// <summary>Tells the agent the lease's end is stored: it may drop its report.</summary>
    public static void Forget(AgentSession session, string leaseId) =>
        Send(session, new Command { Id = "forget-" + leaseId, ForgetLease = new ForgetLease { LeaseId = leaseId } });

    // A session that cannot take the command (closing, or its agent stopped reading) is closed and logged by the
    // session; the agent's next registration reconciles.
    private static void Send(AgentSession session, Command command) => session.Post(new CoordinatorMessage { Command = command });
}

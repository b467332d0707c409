using Gpunet.Coordinator.Agents;
using Gpunet.Core.Scheduling;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>A placed lease this coordinator holds: the capacity it took and what its agent was told.</summary>
internal sealed class HeldLease(string leaseId, string orderId, int attempt, HostSlot slot, Placement placement, string allocationId, DateTimeOffset placedAt)
{
    public string LeaseId { get; } = leaseId;
    /// <summary>Which placement of the lease this is (<see cref="Storage.LeaseRecord.Attempt"/>, from 1).</summary>
    public int Attempt { get; } = attempt;
    public string OrderId { get; } = orderId;
    public HostSlot Slot { get; } = slot;
    public Placement Placement { get; } = placement;
    public string AllocationId { get; } = allocationId;
    public DateTimeOffset PlacedAt { get; } = placedAt;

    /// <summary>When its agent reported it running; null while it starts.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>The agent stream the start command went out on.</summary>
    public AgentSession? SentTo { get; private set; }

    /// <summary>The stream this attempt's first start went out on, when nothing of it can have run before (placed or
    /// started again here, not sent anywhere earlier); null otherwise. A start sent again on a new stream is not its
    /// first.</summary>
    public AgentSession? FirstSentOn { get; private set; }

    /// <summary>No start of this attempt went out before this coordinator held it: it placed it (or started it again)
    /// itself. False for a lease held from the store, whose start another coordinator, or this one before a restart,
    /// may have sent.</summary>
    public bool HeldUnsent { get; init; }

    /// <summary>Whether a start of this attempt may have reached an agent (and its workload run): one went out from
    /// here, or may have before this coordinator held it.</summary>
    public bool MayHaveStarted => SentTo is not null || !HeldUnsent;

    /// <summary>Records that the start goes out on <paramref name="session"/>.</summary>
    public void Sent(AgentSession session)
    {
        if (!MayHaveStarted)
            FirstSentOn = session;
        SentTo = session;
    }

    /// <summary>The same placement as its next <paramref name="attempt"/>, not started nor sent yet
    /// (<see cref="Core.Marketplace.LeaseLifecycle.CanStartAgain"/>).</summary>
    public HeldLease NextAttempt(int attempt) => new(LeaseId, OrderId, attempt, Slot, Placement, AllocationId, PlacedAt) { HeldUnsent = true };
}

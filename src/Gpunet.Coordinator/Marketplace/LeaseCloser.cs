using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Marketplace;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>Ends leases: the end stored through the <see cref="LeaseDriver"/>, then its capacity released at once, its
/// queue entry dropped, its agent told to stop, its followers told, and what the market kept for it let go.</summary>
/// <remarks>Not thread-safe: the market's loop owns it.</remarks>
internal sealed partial class LeaseCloser(
    LeaseDriver driver,
    LeaseStore store,
    LeaseLogFeed feed,
    UnplacedLeaseRelease unplacedRelease,
    OrderQueue queue,
    OrderBook orders,
    HeldLeases held,
    CapacityIndex index,
    LogIntake logs,
    LeaseRelay relay,
    ILogger log)
{
    /// <summary>Raised on the market's loop when a lease ends, with its id and end reason (<c>completed</c>, …).</summary>
    public event Action<string, string>? Ended;

    /// <summary>Ends a lease with <paramref name="reason"/>: stored, its capacity released at once, its agent told to
    /// stop when <paramref name="stopAgent"/>. False, changing nothing, when the lease moved on since it was read
    /// (another coordinator changed it) or may not end from where it is.</summary>
    public Task<bool> EndAsync(LeaseRecord lease, LeaseEndReason reason, string detail, int? exitCode, bool stopAgent, CancellationToken ct) =>
        EndAsync(lease, reason, detail, exitCode, stopAgent, null, ct);

    /// <summary>How many times an end is tried on the lease as stored again when another coordinator moved it meanwhile.</summary>
    public const int MaxEndAttempts = 5;

    /// <summary>Ends a lease its agent says ended (the agent is not told to stop), and when another coordinator moved it
    /// meanwhile, ends it as it is stored now, up to <see cref="MaxEndAttempts"/> times, so that the end is not lost. True
    /// once it is ended, here or elsewhere; false when it kept moving.</summary>
    public async Task<bool> EndAsStoredAsync(LeaseRecord lease, LeaseEndReason reason, string detail, int? exitCode, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= MaxEndAttempts; attempt++)
        {
            if (await EndAsync(lease, reason, detail, exitCode, stopAgent: false, ct))
                return true;
            if (await store.LeaseAsync(lease.Id, ct) is not { } now || LeaseLifecycle.IsEnded(Enum.Parse<LeaseState>(now.State)))
                return true; // ended elsewhere meanwhile
            lease = now;
        }

        return false;
    }

    /// <summary>Ends a lease as <see cref="EndAsync(LeaseRecord, LeaseEndReason, string, int?, bool, CancellationToken)"/>;
    /// with a <paramref name="fence"/>, as the network's leader (a duty: <see cref="Leadership.LeadershipLostException"/>
    /// and nothing changed when another coordinator leads).</summary>
    public async Task<bool> EndAsync(LeaseRecord lease, LeaseEndReason reason, string detail, int? exitCode, bool stopAgent, Leadership.LeaderFence? fence, CancellationToken ct)
    {
        var ending = Ending.Of(lease, stopAgent);
        if (!await driver.EndAsync(lease, reason, detail, exitCode, fence, ct))
            return false; // another coordinator moved it first, or the move is not allowed (logged)
        await EndedAsync([ending]);
        return true;
    }

    /// <summary>After leases' ends are stored: their capacity released at once (one store transaction for all), their
    /// queue entries dropped, their agents told to stop, their followers told, and what the market kept for them let go.</summary>
    public async Task EndedAsync(IReadOnlyList<Ending> ended)
    {
        foreach (var e in ended)
        {
            feed.Ended(e.Lease.Id);
            logs.Ended(e.Lease.Id);
            if (e.Unplaced)
                await unplacedRelease.ReleaseAsync(e.Lease.Id, e.Lease.EndedAt ?? default);
            queue.RemoveLease(e.Lease.Id);
        }

        await held.ReleaseAsync([.. ended.Select(e => (e.Lease.Id, e.AllocationId))]);
        foreach (var e in ended)
        {
            var lease = e.Lease;
            if (e.StopAgent && e.HostId is not null && index.TryGet(e.HostId, out var slot))
            {
                // Its agent connected here is told now; one connected to another coordinator is told by that one.
                if (slot.Entry.Session is { } session)
                    AgentCommands.Stop(session, lease.Id, lease.StateReason);
                else
                    await relay.TellHolderAsync(slot);
            }

            ForgetOrderIfIdle(lease.OrderId);
            LogEnded(log, lease.Id, lease.State, lease.EndReason, lease.StateReason);
            Ended?.Invoke(lease.Id, lease.EndReason!);
        }
    }

    /// <summary>Ends a held lease that is still placed in the store; one that ended elsewhere meanwhile is let go.</summary>
    public async Task EndHeldAsync(HeldLease lease, LeaseEndReason reason, string detail, Leadership.LeaderFence? fence, CancellationToken ct)
    {
        if (await store.LeaseAsync(lease.LeaseId, ct) is { } stored && LeaseLifecycle.HoldsCapacity(Enum.Parse<LeaseState>(stored.State)))
            await EndAsync(stored, reason, detail, null, stopAgent: true, fence, ct);
        else
            LetGo(lease.LeaseId);
    }

    /// <summary>A lease held here that another coordinator ended (a cancel through its API): its workload is stopped
    /// here and what the market kept for it let go.</summary>
    public void EndedElsewhere(LeaseRecord ended)
    {
        feed.Ended(ended.Id);
        if (LetGo(ended.Id) is { Slot.Entry.Session: { } session })
            AgentCommands.Stop(session, ended.Id, ended.StateReason);
    }

    private HeldLease? LetGo(string leaseId)
    {
        if (!held.Remove(leaseId, out var lease))
            return null;
        logs.Ended(leaseId);
        ForgetOrderIfIdle(lease.OrderId);
        return lease;
    }

    private void ForgetOrderIfIdle(string orderId)
    {
        if (!queue.Holds(orderId) && !held.HoldsOrder(orderId))
            orders.Forget(orderId);
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Lease {LeaseId} ended {State} ({Reason}): {Detail}")]
    private static partial void LogEnded(ILogger logger, string leaseId, string state, string? reason, string detail);

    /// <summary>A lease being ended, with what it held before (its allocation and host, and whether it was never placed),
    /// taken before its end is made (see <see cref="LeaseDriver.StageEnd"/>) for <see cref="EndedAsync"/>.</summary>
    internal sealed record Ending(LeaseRecord Lease, string? AllocationId, string? HostId, bool Unplaced, bool StopAgent)
    {
        public static Ending Of(LeaseRecord lease, bool stopAgent) =>
            new(lease, lease.AllocationId, lease.HostId, lease.State == nameof(LeaseState.Pending) && lease.Attempt == 0, stopAgent);
    }
}

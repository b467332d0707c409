using Gpunet.Coordinator.Observability;
using Gpunet.Coordinator.Scheduling;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Marketplace;
using Gpunet.Core.Scheduling;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>Places queued orders: the matcher picks hosts, the capacity is committed in the store against each host's
/// version, then the leases move to Starting and their agents are told to start them.</summary>
/// <remarks>Not thread-safe: the market's loop owns it. After a conflict with another coordinator the hosts are re-read
/// and it tries again at once, a few times.</remarks>
internal sealed partial class OrderPlacement(
    CapacityIndex index,
    OrderQueue queue,
    OrderBook orders,
    PlacementGate gate,
    LeaseDriver driver,
    HeldLeases held,
    AgentCommands commands,
    LeaseRelay relay,
    PlacementStore placements,
    LeaseStore store,
    TimeProvider time,
    ILogger log)
{
    private const int Attempts = 3;

    /// <summary>Tries to place a queued order (only when capacity changed since it last failed).</summary>
    public Task TryPlaceAsync(QueuedOrder queued, CancellationToken ct) => TryPlaceAsync([queued], ct);

    /// <summary>Tries to place queued orders, in their order, each only when capacity changed since it last failed. The
    /// matcher decides them one after another in memory; their capacity is then committed in one store transaction
    /// and their leases moved to Starting in another, so orders that arrived together cost two writes, not two each.
    /// An order that met another coordinator's change is tried again at once, a few times.</summary>
    public async Task TryPlaceAsync(IReadOnlyList<QueuedOrder> orders, CancellationToken ct)
    {
        var due = orders;
        for (var attempt = 0; attempt < Attempts && due.Count > 0; attempt++)
            due = await TryPlaceOnceAsync(due, ct);
    }

    /// <summary>One attempt at each order; returns those that met a conflict.</summary>
    private async Task<List<QueuedOrder>> TryPlaceOnceAsync(IReadOnlyList<QueuedOrder> orders, CancellationToken ct)
    {
        var due = orders.Where(q => q.TriedAt != index.Epoch).ToList();
        if (due.Count == 0)
            return [];
        var stored = await store.LeasesAsync([.. due.SelectMany(q => q.LeaseIds)], ct);
        var now = time.GetUtcNow();
        var attempts = new List<Attempt>(due.Count);
        try
        {
            foreach (var queued in due)
            {
                var span = CoordinatorTelemetry.StartPlacement(queued.OrderId, queued.Caller, log);
                if (await MatchAsync(queued, stored, now, span, ct) is { } matched)
                    attempts.Add(matched);
                else
                    CoordinatorTelemetry.Placed(span, "not placed");
            }
        }
        catch
        {
            // A later order's store call failed before anything was committed: the matcher's holds for the orders
            // matched so far go back, and their hosts' versions with them, so memory stays what the store holds (a host
            // would look busy, and a version ahead of the store's could hide the next real change from the scan).
            foreach (var c in attempts.SelectMany(a => a.Commits).Reverse())
                index.Undo(c.Slot, c.Placement);
            // Not tried to the end: each is tried again at the market's next look.
            foreach (var queued in due)
                queued.TriedAt = -1;
            throw;
        }

        // From the first commit on, nothing is cancelled: a placement is not cut between its commit and its lease.
        var conflicted = new List<QueuedOrder>();
        var committing = attempts.Select(a => CoordinatorTelemetry.StartCommit(a.Commits.Count, a.Span)).ToList();
        var all = attempts.SelectMany(a => a.Commits).ToList();
        var results = await placements.CommitNowAsync([.. all.Select(c => c.Request)]);
        for (var i = 0; i < all.Count; i++)
            all[i].Result = results[i];
        for (var i = 0; i < attempts.Count; i++)
            CoordinatorTelemetry.Committed(committing[i], attempts[i].Conflict);

        foreach (var a in attempts.Where(a => a.Conflict))
        {
            // Another coordinator changed a host first, or the store refused the write: give back what did commit,
            // re-read the hosts (the matcher took their capacity in memory), try again.
            foreach (var c in a.Commits)
            {
                if (c.Failed is { } e)
                    LogCommitFailed(log, e, a.Queued.OrderId, c.Slot.Entry.Id);
                if (c.Failed is not null || c.Result!.Result is PlacementConflict)
                    await index.RefreshAsync(c.Slot, CancellationToken.None);
                else
                    await index.ReleaseAsync(c.Slot, c.Placement, c.AllocationId);
            }

            LogConflict(log, a.Queued.OrderId);
            CoordinatorTelemetry.Placed(a.Span, "conflict");
            conflicted.Add(a.Queued);
        }

        var committed = attempts.Where(a => !a.Conflict).ToList();
        foreach (var a in committed)
        {
            foreach (var c in a.Commits)
                driver.Stage(c.Lease, LeaseState.Starting, Placed(c, now));
        }

        var saved = await driver.SaveStagedAsync([.. committed.Select(a => a.Commits.Select(c => c.Lease).ToList())], CancellationToken.None);
        for (var i = 0; i < committed.Count; i++)
        {
            var a = committed[i];
            a.Queued.Caller = null;
            queue.Remove(a.Queued);
            if (saved[i])
            {
                // The start commands' spans are the placement's children (the agent continues the order's trace).
                var current = System.Diagnostics.Activity.Current;
                System.Diagnostics.Activity.Current = a.Span ?? current;
                try
                {
                    await StartAsync(a, now, ct);
                }
                finally
                {
                    System.Diagnostics.Activity.Current = current;
                }

                CoordinatorTelemetry.Placed(a.Span, "placed");
                continue;
            }

            // Ended or moved meanwhile (another coordinator): give the capacity back, drop the entry.
            foreach (var c in a.Commits)
                await index.ReleaseAsync(c.Slot, c.Placement, c.AllocationId);
            CoordinatorTelemetry.Placed(a.Span, "not placed");
        }

        return conflicted;
    }

    /// <summary>The matcher's choice for an order with its capacity commits decided (the caller commits every order's
    /// together); null when it is not placed now (its leases then say why it waits).</summary>
    private async Task<Attempt?> MatchAsync(QueuedOrder queued, Dictionary<string, LeaseRecord> stored, DateTimeOffset now, System.Diagnostics.Activity? span, CancellationToken ct)
    {
        queued.TriedAt = index.Epoch;
        var info = await orders.GetAsync(queued.OrderId, ct);
        if (info is null)
        {
            queue.Remove(queued);
            return null;
        }

        var spec = info.Spec with { Hosts = queued.LeaseIds.Count };
        Func<int, bool>? exclude = queued.Pinned is null && queued.Exclude.Count == 0
            ? null
            : node => (queued.Pinned is not null && index.Slots[node].Entry.Id != queued.Pinned) || queued.Exclude.Contains(index.Slots[node].Entry.Id);
        var result = index.Matcher.Match(spec, gate.For(info), exclude);
        var leases = queued.LeaseIds.Select(stored.GetValueOrDefault).OfType<LeaseRecord>().ToList();
        if (result is NotMatched nm)
        {
            var reason = queued.Pinned is null ? nm.Reason : $"{nm.Reason} (pinned to {queued.Pinned})";
            if (reason != queued.Reason)
            {
                queued.Reason = reason;
                await driver.NoteWaitingAsync(leases, reason, ct);
            }

            return null;
        }

        var matched = (Matched)result;
        if (leases.Count != matched.Placements.Length || leases.Any(l => l.State != nameof(LeaseState.Pending)))
        {
            // Ended or placed elsewhere meanwhile (another coordinator): give the capacity back, drop the entry.
            foreach (var p in matched.Placements)
                index.Matcher.Release(p);
            queue.Remove(queued);
            return null;
        }

        var commits = new List<Commit>(leases.Count);
        for (var i = 0; i < leases.Count; i++)
        {
            var p = matched.Placements[i];
            var slot = index.Slots[p.Node];
            var allocationId = $"{leases[i].Id}.{leases[i].Attempt + 1}";
            var commit = PlacementCommit.After(index.Matcher.Cluster, p, slot.StoreVersion, allocationId, now);
            slot.StoreVersion++;
            commits.Add(new Commit(leases[i], p, slot, allocationId, commit));
        }

        return new Attempt(queued, span, commits);
    }

    private Action<LeaseRecord> Placed(Commit c, DateTimeOffset now) => lease =>
    {
        var gpus = c.Placement.Gpus.Select(g => c.Slot.GpuIndex[g]).ToArray();
        lease.HostId = c.Slot.Entry.Id;
        lease.GpuIndices = string.Join(',', gpus);
        lease.GpuMilli = c.Placement.GpuMilliEach;
        lease.GpuModel = index.Matcher.Cluster.GpuModel(c.Placement.Node);
        lease.PriceUsdPerGpuHour = c.Slot.Record.PriceUsdPerGpuHour;
        lease.AllocationId = c.AllocationId;
        lease.Attempt++;
        lease.PlacedAt = now;
        lease.StartedAt = null;
        lease.StateReason = $"placed on {lease.HostId} GPU {(gpus.Length == 0 ? "none" : string.Join(',', gpus))}";
    };

    /// <summary>A placed order's leases held here and their agents told to start them.</summary>
    private async Task StartAsync(Attempt a, DateTimeOffset now, CancellationToken ct)
    {
        index.Taken();
        foreach (var c in a.Commits)
        {
            // A lease is held by the coordinator its host's agent is connected to: that one starts it, watches it and
            // takes its lines. Placed on a host connected elsewhere, it is handed over through the store.
            if (c.Slot.Entry.Session is not { } session)
            {
                held.PlacedUnsent(c.Lease.Id, c.Lease.Attempt, now);
                await relay.TellHolderAsync(c.Slot);
                continue;
            }

            var lease = new HeldLease(c.Lease.Id, c.Lease.OrderId, c.Lease.Attempt, c.Slot, c.Placement, c.AllocationId, now) { HeldUnsent = true };
            held.Add(lease);
            await commands.DispatchAsync(lease, session, ct, stored: c.Lease); // just stored as Starting: not read again
        }

        LogPlaced(log, a.Queued.OrderId, string.Join(", ", a.Commits.Select(c => c.Lease.StateReason)));
    }

    /// <summary>One order's placement attempt: its span and its leases' commits.</summary>
    private sealed record Attempt(QueuedOrder Queued, System.Diagnostics.Activity? Span, List<Commit> Commits)
    {
        /// <summary>Some commit met another coordinator's change or failed.</summary>
        public bool Conflict => Commits.Any(c => c.Failed is not null || c.Result!.Result is PlacementConflict);
    }

    /// <summary>One lease's capacity commit, decided (<see cref="Request"/>) and then done (<see cref="Result"/>).</summary>
    private sealed record Commit(LeaseRecord Lease, Placement Placement, HostSlot Slot, string AllocationId, PlacementCommit Request)
    {
        public Task<PlacementResult>? Result { get; set; }

        /// <summary>Why the store refused the commit (not a conflict: a write that failed); null when it did not.</summary>
        public Exception? Failed => Result is { IsFaulted: true } r ? r.Exception.GetBaseException() : null;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Order {OrderId} placed: {Where}")]
    private static partial void LogPlaced(ILogger logger, string orderId, string where);

    [LoggerMessage(EventId = 4043, Level = LogLevel.Error, Message = "Order {OrderId}: the store refused its placement on {HostId}; the host is read again and the order waits")]
    private static partial void LogCommitFailed(ILogger logger, Exception e, string orderId, string hostId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Order {OrderId}: a host changed under the placement (another coordinator); retrying")]
    private static partial void LogConflict(ILogger logger, string orderId);
}

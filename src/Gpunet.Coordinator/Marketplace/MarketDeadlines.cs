using System.Globalization;
using Gpunet.Coordinator.Leadership;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Marketplace;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>The market's time-outs: a queued order past its queue deadline, a placed lease whose workload did not start
/// in time, a lease whose term ran out. They are the network leader's duty (<see cref="ILeadership"/>): the leader ends
/// what it queues and holds at every tick, and, at every scan of other coordinators' changes, what they queue and hold,
/// read from the store; each end is written under the leader's fence. A follower only stops placing what passed its
/// queue deadline.</summary>
/// <remarks>Not thread-safe: the market's loop owns it.</remarks>
internal sealed partial class MarketDeadlines(
    LeaseStore store,
    OrderQueue queue,
    OrderBook orders,
    HeldLeases held,
    LeaseCloser closer,
    MarketOptions options,
    ILeadership leadership,
    ILogger log)
{
    // The term of each order with a placed lease not held here, read once (null: no term).
    private Dictionary<string, TimeSpan?> _terms = new(StringComparer.Ordinal);

    /// <summary>Ends what is due at <paramref name="now"/>; with <paramref name="sweepStore"/>, also what other
    /// coordinators queue and hold.</summary>
    public async Task EndDueAsync(DateTimeOffset now, bool sweepStore, CancellationToken ct)
    {
        // Taken from the queue on every coordinator: nothing is placed after its deadline.
        var expired = queue.TakeExpired(now);
        if (leadership.Fence is not { } fence)
            return;
        try
        {
            foreach (var q in expired)
            {
                foreach (var id in q.LeaseIds)
                {
                    if (await store.LeaseAsync(id, ct) is { State: nameof(LeaseState.Pending) } lease)
                        await EndQueuedAsync(lease, fence, ct);
                }
            }

            foreach (var h in held.Snapshot())
            {
                var info = await orders.GetAsync(h.OrderId, ct);
                if (StartTimedOut(h.StartedAt, h.PlacedAt, now))
                    await closer.EndHeldAsync(h, LeaseEndReason.StartTimeout, StartTimeoutDetail, fence, ct);
                else if (info?.Spec.Duration is { } term && now >= (h.StartedAt ?? h.PlacedAt) + term)
                    await closer.EndHeldAsync(h, LeaseEndReason.TermEnded, TermDetail(term), fence, ct);
            }

            if (sweepStore)
                await EndOthersDueAsync(now, fence, ct);
        }
        catch (LeadershipLostException e)
        {
            LogNotLeader(log, e.Message);
        }
    }

    // What other coordinators queue and hold: the leases placed but not held here, and the queued ones past their deadline.
    private async Task EndOthersDueAsync(DateTimeOffset now, LeaderFence fence, CancellationToken ct)
    {
        foreach (var lease in await store.QueueExpiredAsync(now, ct))
            await EndQueuedAsync(lease, fence, ct);
        // One count when every placed lease is held here (a coordinator alone): nothing else to read.
        if (await store.PlacedCountAsync(ct) <= held.Count)
            return;
        var terms = new Dictionary<string, TimeSpan?>(StringComparer.Ordinal);
        foreach (var lease in await store.PlacedAsync(ct))
        {
            if (held.Contains(lease.Id))
                continue;
            var placedAt = lease.PlacedAt ?? lease.CreatedAt;
            if (!terms.TryGetValue(lease.OrderId, out var term))
                terms[lease.OrderId] = term = _terms.TryGetValue(lease.OrderId, out var known) ? known : await TermAsync(lease.OrderId, ct);
            if (StartTimedOut(lease.StartedAt, placedAt, now))
                await closer.EndAsync(lease, LeaseEndReason.StartTimeout, StartTimeoutDetail, null, stopAgent: true, fence, ct);
            else if (term is { } t && now >= (lease.StartedAt ?? placedAt) + t)
                await closer.EndAsync(lease, LeaseEndReason.TermEnded, TermDetail(t), null, stopAgent: true, fence, ct);
        }

        _terms = terms; // the orders with a lease placed elsewhere now: the rest are forgotten
    }

    private async Task<TimeSpan?> TermAsync(string orderId, CancellationToken ct) =>
        await store.OrderAsync(orderId, ct) is { } order ? StoredOrder.Read(order).ToRequest().ToSpec(null, null).Spec.Duration : null;

    private bool StartTimedOut(DateTimeOffset? startedAt, DateTimeOffset placedAt, DateTimeOffset now) =>
        startedAt is null && now - placedAt > options.LeaseStartTimeout;

    private Task<bool> EndQueuedAsync(LeaseRecord lease, LeaderFence fence, CancellationToken ct) =>
        closer.EndAsync(lease, LeaseEndReason.QueueTimeout, $"no capacity before the queue deadline: {lease.StateReason}", null, stopAgent: false, fence, ct);

    private string StartTimeoutDetail => $"the agent did not start the workload within {options.LeaseStartTimeout.TotalSeconds:0} s";

    private static string TermDetail(TimeSpan term) => $"its term of {term.TotalHours.ToString("0.##", CultureInfo.InvariantCulture)} h ended";

    [LoggerMessage(EventId = 4038, Level = LogLevel.Warning, Message = "The market's time-outs were cut short: {Reason}")]
    private static partial void LogNotLeader(ILogger logger, string reason);
}

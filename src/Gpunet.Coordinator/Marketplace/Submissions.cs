using System.Diagnostics;
using Gpunet.Coordinator.Storage;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>Orders handed to the market and not yet queued: the market's loop takes all that came while it was busy,
/// queues them in the order they came and tries them together (<see cref="OrderPlacement"/>).</summary>
/// <remarks><see cref="Add"/> is thread-safe; <see cref="PlaceAsync"/> runs on the market's loop.</remarks>
internal sealed class Submissions(
    LeaseStore store, OrderBook orders, OrderQueue queue, OrderPlacement placement, Func<CancellationToken, Task> syncHosts)
{
    private readonly Inbox<Submission> _inbox = new();

    /// <summary>An order waiting to be queued and tried, with the request it came with (its trace).</summary>
    private sealed record Submission(OrderInfo Info, IReadOnlyList<LeaseRecord> Leases, bool Stored, Activity? Caller)
    {
        public TaskCompletionSource Tried { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Hands an order over; <c>First</c> when none was waiting, so the caller must have <see cref="PlaceAsync"/>
    /// run. <c>Tried</c> completes once the order is stored and queued and its first placement tried.</summary>
    /// <param name="stored">True when the order is already stored (with its escrow, in the ledger's transaction).</param>
    public (bool First, Task Tried) Add(OrderInfo info, IReadOnlyList<LeaseRecord> leases, bool stored)
    {
        var submission = new Submission(info, leases, stored, Activity.Current);
        return (_inbox.Add(submission), submission.Tried.Task);
    }

    /// <summary>Stores (unless stored), queues and tries every order waiting.</summary>
    public async Task PlaceAsync(CancellationToken ct)
    {
        var queued = new List<(Submission Submission, QueuedOrder Queued)>();
        foreach (var s in _inbox.TakeAll())
        {
            try
            {
                if (!s.Stored)
                    await store.CreateOrderAsync(s.Info.Order, s.Leases, ct);
            }
#pragma warning disable CA1031 // handed to the order's caller
            catch (Exception e)
#pragma warning restore CA1031
            {
                s.Tried.TrySetException(e);
                continue;
            }

            orders.Add(s.Info);
            var order = s.Info.Order;
            var q = new QueuedOrder(order.Id, [.. s.Leases.Select(l => l.Id)], order.QueueDeadline, Pinned: s.Info.Request.Host, Exclude: [])
            {
                Caller = s.Caller,
            };
            queue.Add(q);
            queued.Add((s, q));
        }

        try
        {
            await syncHosts(ct); // a host that became ready since the last tick counts
            await placement.TryPlaceAsync([.. queued.Select(x => x.Queued)], ct);
        }
        catch (Exception e)
        {
            // Stored and queued all the same: the next tick tries them again.
            foreach (var (s, _) in queued)
                s.Tried.TrySetException(e);
            throw;
        }

        foreach (var (s, q) in queued)
        {
            q.Caller = null;
            s.Tried.TrySetResult();
        }
    }
}

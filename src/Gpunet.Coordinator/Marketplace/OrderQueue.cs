namespace Gpunet.Coordinator.Marketplace;

/// <summary>Orders waiting for capacity, in arrival order, each until its deadline.</summary>
/// <remarks>Not thread-safe: the market's loop owns it.</remarks>
internal sealed class OrderQueue
{
    private readonly List<QueuedOrder> _queue = [];

    /// <summary>Entries waiting.</summary>
    public int Count => _queue.Count;

    /// <summary>Leases waiting, over every entry.</summary>
    public int LeaseCount => _queue.Sum(q => q.LeaseIds.Count);

    /// <summary>The entries as they are now (the caller may change the queue while going through them).</summary>
    public List<QueuedOrder> Snapshot() => [.. _queue];

    public void Add(QueuedOrder queued) => _queue.Add(queued);

    public void Remove(QueuedOrder queued) => _queue.Remove(queued);

    /// <summary>The entry that holds <paramref name="leaseId"/>, if it waits.</summary>
    public QueuedOrder? Holding(string leaseId) => _queue.Find(q => q.LeaseIds.Contains(leaseId));

    /// <summary>Whether some lease of <paramref name="orderId"/> still waits.</summary>
    public bool Holds(string orderId) => _queue.Exists(q => q.OrderId == orderId);

    /// <summary>Takes out the entries whose deadline has come.</summary>
    public List<QueuedOrder> TakeExpired(DateTimeOffset now)
    {
        var expired = _queue.Where(q => now >= q.Deadline).ToList();
        foreach (var q in expired)
            _queue.Remove(q);
        return expired;
    }

    /// <summary>Takes a lease out of whatever entry holds it (an entry left empty goes).</summary>
    public void RemoveLease(string leaseId)
    {
        _queue.ForEach(q => q.LeaseIds.Remove(leaseId));
        _queue.RemoveAll(q => q.LeaseIds.Count == 0);
    }
}

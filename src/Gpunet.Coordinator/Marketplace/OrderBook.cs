namespace Gpunet.Coordinator.Marketplace;

/// <summary>The orders the market is working on, read from the store once and kept while the order has a lease
/// queued or held here.</summary>
/// <remarks>Not thread-safe: the market's loop owns it.</remarks>
internal sealed class OrderBook(LeaseStore store)
{
    private readonly Dictionary<string, OrderInfo> _orders = new(StringComparer.Ordinal);

    /// <summary>Orders kept in memory.</summary>
    public int Count => _orders.Count;

    /// <summary>Keeps an order just submitted.</summary>
    public void Add(OrderInfo info) => _orders[info.Order.Id] = info;

    /// <summary>The order, from memory or else from the store; null when there is no such order.</summary>
    public async Task<OrderInfo?> GetAsync(string orderId, CancellationToken ct)
    {
        if (_orders.TryGetValue(orderId, out var info))
            return info;
        var order = await store.OrderAsync(orderId, ct);
        if (order is null)
            return null;
        var request = StoredOrder.Read(order).ToRequest();
        info = new OrderInfo(order, request, request.ToSpec(null, null).Spec);
        _orders[orderId] = info;
        return info;
    }

    /// <summary>Drops an order with no lease left here (read again from the store if one comes back).</summary>
    public void Forget(string orderId) => _orders.Remove(orderId);
}

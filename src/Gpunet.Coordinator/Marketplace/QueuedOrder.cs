namespace Gpunet.Coordinator.Marketplace;

/// <summary>Leases of one order waiting for capacity: a new order's, or one lease moving off a lost host.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="LeaseIds">Its pending leases, placed together (a gang).</param>
/// <param name="Deadline">When they stop waiting and end with <c>queue-timeout</c>.</param>
/// <param name="Pinned">The one host the customer asked for, if any.</param>
/// <param name="Exclude">Hosts not to place on (the lost host, the hosts its gang still holds).</param>
internal sealed record QueuedOrder(string OrderId, List<string> LeaseIds, DateTimeOffset Deadline, string? Pinned, HashSet<string> Exclude)
{
    /// <summary>The capacity epoch of the last attempt: nothing changed since, no point trying again.</summary>
    public long TriedAt { get; set; } = -1;

    /// <summary>Why it is still waiting, as last stored on its leases.</summary>
    public string Reason { get; set; } = "";

    /// <summary>The request that submitted it, while its first placement is tried (its spans belong to that trace).</summary>
    public System.Diagnostics.Activity? Caller { get; set; }
}

namespace Gpunet.Coordinator.Marketplace;

/// <summary>A module's rule on which hosts an order may be placed on, beyond the matcher's own requirements and the
/// order gate (an SLA tier's host qualification, a declared maintenance window). Registered in DI; the placement gate
/// asks every rule.</summary>
internal interface IPlacementRule
{
    /// <summary>The order's refusal of a host (a short reason the queue shows, e.g. <c>not qualified for enterprise</c>),
    /// or null where it may take the order; returns null itself when the order needs no look at hosts. Called on the
    /// market's loop for every placement try: it must answer from memory.</summary>
    Func<HostSlot, string?>? For(OrderInfo info, DateTimeOffset now);
}

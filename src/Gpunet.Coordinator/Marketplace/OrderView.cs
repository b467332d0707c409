namespace Gpunet.Coordinator.Marketplace;

/// <summary>What <c>POST /api/v1/orders</c> answers: the order and its leases (one per host; the first is
/// <see cref="LeaseId"/>).</summary>
public sealed record OrderView(string OrderId, string LeaseId, string State, string StateReason, IReadOnlyList<LeaseView> Leases);

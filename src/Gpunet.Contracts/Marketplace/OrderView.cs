using System.ComponentModel.DataAnnotations;
using Gpunet.Core.Marketplace;

namespace Gpunet.Contracts.Marketplace;

/// <summary>What <c>POST /api/v1/orders</c> answers: the order and its leases (one per host; the first is
/// <see cref="LeaseId"/>).</summary>
public sealed record OrderView(
    [property: RegularExpression(ApiPatterns.OrderId)] string OrderId, [property: RegularExpression(ApiPatterns.LeaseId)] string LeaseId, [property: EnumNames(typeof(LeaseState))] string State, [property: MaxLength(TextLimits.Reason)] string StateReason,
    [property: MaxLength(OrderValidator.MaxHosts)] IReadOnlyList<LeaseView> Leases);

using System.ComponentModel.DataAnnotations;
using Gpunet.Core.Sla;

namespace Gpunet.Contracts.Sla;

/// <summary>A maintenance window to declare for a host: from <paramref name="From"/> to <paramref name="To"/> (UTC,
/// ISO 8601), with an optional reason the host's customers see.</summary>
public sealed record MaintenanceRequest(DateTimeOffset? From, DateTimeOffset? To, [property: StringLength(MaintenancePolicy.MaxReasonLength)] string? Reason);

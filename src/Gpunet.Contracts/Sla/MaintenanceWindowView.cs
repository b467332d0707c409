using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Sla;

/// <summary>A declared maintenance window of a host.</summary>
public sealed record MaintenanceWindowView(
    long Id,
    [property: RegularExpression(ApiPatterns.HostId)] string HostId,
    DateTimeOffset From,
    DateTimeOffset To,
    [property: MaxLength(TextLimits.Reason)] string Reason,
    [property: RegularExpression(ApiPatterns.Actor)] string DeclaredBy,
    DateTimeOffset DeclaredAt,
    DateTimeOffset? CancelledAt);

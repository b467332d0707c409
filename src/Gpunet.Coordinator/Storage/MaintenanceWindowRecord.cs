namespace Gpunet.Coordinator.Storage;

/// <summary>A maintenance window a host's operator declared ahead of time: from <see cref="From"/> to <see cref="To"/>
/// (UTC) the host may be down; it counts against the host's record, not against its customers' availability.</summary>
internal sealed class MaintenanceWindowRecord
{
    public long Id { get; set; }
    public required string HostId { get; set; }
    public DateTimeOffset From { get; set; }
    public DateTimeOffset To { get; set; }
    public string Reason { get; set; } = "";
    /// <summary>The wallet (the host's operator) or <c>admin</c> that declared it.</summary>
    public required string DeclaredBy { get; set; }
    public DateTimeOffset DeclaredAt { get; set; }
    /// <summary>When it was withdrawn before it began; null while it stands.</summary>
    public DateTimeOffset? CancelledAt { get; set; }
}

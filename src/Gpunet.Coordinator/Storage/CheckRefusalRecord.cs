namespace Gpunet.Coordinator.Storage;

/// <summary>A report the coordinator refused (forged, replayed, late, not assigned, malformed), counted against the
/// checker whose stream sent it. Nothing else changed.</summary>
internal sealed class CheckRefusalRecord
{
    public long Id { get; set; }
    /// <summary>The checker whose authenticated stream sent it.</summary>
    public required string Checker { get; set; }
    /// <summary>The check it named (as sent, at most 64 characters).</summary>
    public string CheckId { get; set; } = "";
    public required string Reason { get; set; }
    public DateTimeOffset At { get; set; }
}

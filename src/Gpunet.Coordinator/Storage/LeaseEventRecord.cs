namespace Gpunet.Coordinator.Storage;

/// <summary>One step of a lease's history.</summary>
internal sealed class LeaseEventRecord
{
    public long Id { get; set; }
    public required string LeaseId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string State { get; set; }
    public string? HostId { get; set; }
    public string Reason { get; set; } = "";
}

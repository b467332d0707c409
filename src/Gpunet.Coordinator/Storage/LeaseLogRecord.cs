namespace Gpunet.Coordinator.Storage;

/// <summary>One line a lease's workload wrote.</summary>
internal sealed class LeaseLogRecord
{
    public required string LeaseId { get; set; }
    public long Sequence { get; set; }
    public required string Stream { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset At { get; set; }
}

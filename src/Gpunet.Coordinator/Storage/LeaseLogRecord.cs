namespace Gpunet.Coordinator.Storage;

/// <summary>One line a lease's workload wrote.</summary>
internal sealed class LeaseLogRecord
{
    public required string LeaseId { get; set; }
    /// <summary>The lease's placement whose workload wrote the line (<see cref="LeaseRecord.Attempt"/>, from 1).</summary>
    public int Attempt { get; set; } = 1;
    /// <summary>The line's number, from 1 per attempt.</summary>
    public long Sequence { get; set; }
    public required string Stream { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset At { get; set; }
}

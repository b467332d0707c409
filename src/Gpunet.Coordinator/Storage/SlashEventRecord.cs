namespace Gpunet.Coordinator.Storage;

/// <summary>A broken promise to be slashed at the next settlement: <c>downtime</c> while serving, or <c>deceit</c>.</summary>
internal sealed class SlashEventRecord
{
    public long Id { get; set; }
    public required string HostId { get; set; }
    public required string Operator { get; set; }
    public required string Kind { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>The epoch whose settlement took it; null until then.</summary>
    public long? Epoch { get; set; }
}

namespace Gpunet.Coordinator.Storage;

/// <summary>One change of a host's lifecycle state, with its reason; append-only.</summary>
internal sealed class HostTransitionRecord
{
    public long Id { get; set; }
    public required string HostId { get; set; }
    public required string From { get; set; }
    public required string To { get; set; }
    public required string Reason { get; set; }
    /// <summary>UTC.</summary>
    public DateTimeOffset At { get; set; }
}

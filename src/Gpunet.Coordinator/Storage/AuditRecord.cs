namespace Gpunet.Coordinator.Storage;

/// <summary>One entry of the hash-chained compliance audit log (see <see cref="Core.Audit.AuditChain"/>).</summary>
internal sealed class AuditRecord
{
    public long Sequence { get; set; }
    /// <summary>UTC, whole milliseconds (what the hash covers).</summary>
    public DateTimeOffset At { get; set; }
    public required string Subject { get; set; }
    public required string Rule { get; set; }
    /// <summary>The decision's inputs as JSON.</summary>
    public required string Inputs { get; set; }
    public string? ListVersion { get; set; }
    public string? PolicyVersion { get; set; }
    public required string Outcome { get; set; }
    public required string DecidedBy { get; set; }
    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }
}

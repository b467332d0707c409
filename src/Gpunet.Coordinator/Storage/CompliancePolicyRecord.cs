namespace Gpunet.Coordinator.Storage;

/// <summary>A compliance policy as applied; the newest row is in force.</summary>
internal sealed class CompliancePolicyRecord
{
    public long Id { get; set; }
    public required string Version { get; set; }
    public required string Yaml { get; set; }
    public DateTimeOffset AppliedAt { get; set; }
    public required string AppliedBy { get; set; }
}

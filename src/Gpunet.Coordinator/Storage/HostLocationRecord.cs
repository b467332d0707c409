namespace Gpunet.Coordinator.Storage;

/// <summary>Where a host's public IP address places it, against what it declared, and an officer's clearance.</summary>
internal sealed class HostLocationRecord
{
    public required string HostId { get; set; }
    /// <summary>The address looked up; empty when the host has none.</summary>
    public required string Address { get; set; }
    /// <summary><c>connection</c> (the agent's public source address) or <c>declared</c> (its own word), or <c>none</c>.</summary>
    public required string Source { get; set; }
    public string? ResolvedCountry { get; set; }
    public required string DeclaredCountry { get; set; }
    /// <summary>A <see cref="Core.Compliance.LocationCheck"/> name (never Cleared: see <see cref="ClearedAt"/>).</summary>
    public required string Check { get; set; }
    public required string Detail { get; set; }
    public required string DatabaseVersion { get; set; }
    public DateTimeOffset CheckedAt { get; set; }
    /// <summary>An officer's clearance of a mismatch or unresolved address; it holds while address and declaration stay.</summary>
    public string? ClearedBy { get; set; }
    public DateTimeOffset? ClearedAt { get; set; }
    public string? ClearedReason { get; set; }
}

namespace Gpunet.Coordinator.Storage;

/// <summary>One change to a host that every coordinator of the store must learn: a registration, a new description, a
/// state change, GPUs moved off it, or a lease placed or ended on it by a coordinator that does not hold its agent's
/// stream. Append-only; its id is the change sequence other coordinators read after.</summary>
/// <remarks>On PostgreSQL each insert also notifies the <c>gpunet_host_changes</c> channel (a trigger made by the
/// <c>HostChangeSequence</c> migration), so listeners read at once; the sequence is the catch-up.</remarks>
internal sealed class HostChangeRecord
{
    public long Id { get; set; }
    public required string HostId { get; set; }

    /// <summary>What changed: <c>registered</c>, <c>described</c>, <c>state</c>, <c>gpus</c> or <c>leases</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>UTC.</summary>
    public DateTimeOffset At { get; set; }
}

namespace Gpunet.Coordinator.Storage;

/// <summary>Stake on its way out: it moved to the owner's unbonding account and becomes available at <see cref="ReleaseAt"/>.</summary>
internal sealed class UnbondingRecord
{
    /// <summary>The unstake transfer's id (32 hex digits): one entry per unstake, however often it is retried.</summary>
    public required string TransferId { get; set; }
    public required string Owner { get; set; }
    public required string HostId { get; set; }
    /// <summary>Base units.</summary>
    public long Amount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ReleaseAt { get; set; }
    /// <summary>The epoch whose settlement released it; null while unbonding.</summary>
    public long? ReleasedEpoch { get; set; }
}

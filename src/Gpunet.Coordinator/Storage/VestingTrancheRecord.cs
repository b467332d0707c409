namespace Gpunet.Coordinator.Storage;

/// <summary>An operator's fees and rewards of one epoch, vesting linearly from <see cref="Start"/>.</summary>
internal sealed class VestingTrancheRecord
{
    public required string Owner { get; set; }
    public long Epoch { get; set; }
    /// <summary>Base units (reduced by slashing).</summary>
    public long Amount { get; set; }
    /// <summary>Base units already moved to available.</summary>
    public long Released { get; set; }
    public DateTimeOffset Start { get; set; }
}

namespace Gpunet.Coordinator.Storage;

/// <summary>A settled epoch. Its row commits with the settlement's transfers, and the epoch is its key: an epoch can be
/// settled once, however often a coordinator crashes or two try at the same time.</summary>
internal sealed class EpochRecord
{
    public long Epoch { get; set; }
    public DateTimeOffset Start { get; set; }
    public DateTimeOffset End { get; set; }
    public DateTimeOffset SettledAt { get; set; }
    public int Transfers { get; set; }
    /// <summary>The settlement's totals (<c>EpochTotals</c> as JSON).</summary>
    public required string Totals { get; set; }
}

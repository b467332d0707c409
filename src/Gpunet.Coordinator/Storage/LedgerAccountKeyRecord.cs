namespace Gpunet.Coordinator.Storage;

/// <summary>What a ledger account is, e.g. <c>participant:0x…:available</c> or <c>network:treasury</c>; one per
/// account, unique.</summary>
internal sealed class LedgerAccountKeyRecord
{
    public long Id { get; set; }
    public required string Key { get; set; }
}

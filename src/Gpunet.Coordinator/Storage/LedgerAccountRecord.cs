namespace Gpunet.Coordinator.Storage;

/// <summary>A ledger account as stored: its four running totals, in base units (1 token = 10^8 base units).</summary>
/// <remarks>Balance = credits posted − debits posted; what can be spent = balance − debits pending. The totals only move
/// through transfers, written with their deltas in the same transaction.</remarks>
internal sealed class LedgerAccountRecord
{
    public long Id { get; set; }
    /// <summary>What the account is, e.g. <c>participant:0x…:available</c> or <c>network:treasury</c>.</summary>
    public required string Key { get; set; }
    public long DebitsPosted { get; set; }
    public long CreditsPosted { get; set; }
    public long DebitsPending { get; set; }
    public long CreditsPending { get; set; }
    public int Flags { get; set; }
}

namespace Gpunet.Coordinator.Storage;

/// <summary>One immutable ledger transfer as stored; its 128-bit id is the client's idempotency key.</summary>
internal sealed class LedgerTransferRecord
{
    public long IdHigh { get; set; }
    public long IdLow { get; set; }
    public long DebitAccountId { get; set; }
    public long CreditAccountId { get; set; }
    /// <summary>Base units (1 token = 10^8).</summary>
    public long Amount { get; set; }
    public int Code { get; set; }
    public int Flags { get; set; }
    /// <summary>For a post or void: the pending transfer it settles.</summary>
    public long? PendingIdHigh { get; set; }
    public long? PendingIdLow { get; set; }
    /// <summary>When it was applied, Unix milliseconds UTC.</summary>
    public long Timestamp { get; set; }

    /// <summary>Position in the ledger's log, from 1: the order the transfers were applied in.</summary>
    public long Sequence { get; set; }
}

namespace Gpunet.Core.Ledger;

/// <summary>A transfer that passed <see cref="TransferValidator"/>: the counters it moves and, for a post or a void,
/// the pending transfer it resolves, so that posting looks nothing up again.</summary>
internal ref struct ValidTransfer
{
    /// <summary>Its phase: none (a plain transfer), pending, post or void.</summary>
    public TransferFlags Phase;

    public ref AccountCounters Debit;
    public ref AccountCounters Credit;

    /// <summary>For a post or void: the pending transfer it resolves.</summary>
    public Transfer Pending;

    /// <summary>For a post or void: the pending transfer's log position (-1 when older than the recent log).</summary>
    public long PendingPosition;
}

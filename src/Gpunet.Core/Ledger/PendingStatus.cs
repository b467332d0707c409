namespace Gpunet.Core.Ledger;

/// <summary>Where a two-phase transfer stands.</summary>
public enum PendingStatus
{
    /// <summary>Not a pending transfer (an ordinary, post or void transfer).</summary>
    None,

    /// <summary>Reserved, waiting for a post or a void.</summary>
    Pending,

    /// <summary>Posted: the posted amount moved, the rest returned.</summary>
    Posted,

    /// <summary>Voided: the whole reservation returned.</summary>
    Voided,
}

using System.Diagnostics.CodeAnalysis;

namespace Gpunet.Core.Ledger;

/// <summary>How a transfer behaves; at most one of <see cref="Pending"/>, <see cref="PostPending"/> and <see cref="VoidPending"/>.</summary>
[Flags]
[SuppressMessage("Naming", "CA1711", Justification = "The ledger's word, as in TigerBeetle: transfers carry flags.")]
public enum TransferFlags : ushort
{
    None = 0,

    /// <summary>This transfer and the next one in the batch succeed or fail together (chains of any length; the last one is unflagged).</summary>
    Linked = 1,

    /// <summary>Two-phase, first phase: reserve the amount (it leaves the debit account's available balance) until posted or voided.</summary>
    Pending = 2,

    /// <summary>Two-phase, second phase: move the pending transfer's amount, or less (the rest returns to the debit account).</summary>
    PostPending = 4,

    /// <summary>Two-phase, second phase: release the whole reservation; nothing moves.</summary>
    VoidPending = 8,
}

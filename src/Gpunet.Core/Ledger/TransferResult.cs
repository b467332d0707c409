namespace Gpunet.Core.Ledger;

/// <summary>The outcome of one transfer (or of <see cref="LedgerBook.Genesis"/>). Only <see cref="Ok"/> changes the ledger.</summary>
public enum TransferResult
{
    /// <summary>Applied.</summary>
    Ok,

    /// <summary>The same transfer was applied before (every field but the timestamp equal): a retry, nothing moves again.</summary>
    Exists,

    /// <summary>The id is taken by a different transfer: refused.</summary>
    ExistsWithDifferentFields,

    /// <summary>Transfer id zero is reserved.</summary>
    IdMustNotBeZero,

    /// <summary>Flag bits that <see cref="TransferFlags"/> does not define.</summary>
    UnknownFlags,

    /// <summary>More than one of pending, post-pending and void-pending.</summary>
    FlagsAreMutuallyExclusive,

    /// <summary>A zero amount (on an ordinary, pending or post transfer).</summary>
    AmountMustBePositive,

    /// <summary>Debit and credit are the same account.</summary>
    SameAccount,

    /// <summary>The debit or the credit account does not exist.</summary>
    AccountNotFound,

    /// <summary>The debit account's available balance (balance less pending debits) is below the amount: no overdraw.</summary>
    InsufficientFunds,

    /// <summary>A post or void without a pending id.</summary>
    PendingIdRequired,

    /// <summary>A pending id on a transfer that is neither a post nor a void.</summary>
    PendingIdMustBeNull,

    /// <summary>No pending transfer has the pending id.</summary>
    PendingNotFound,

    /// <summary>The post or void names other accounts than its pending transfer.</summary>
    PendingAccountsMismatch,

    /// <summary>The pending transfer has already been posted.</summary>
    PendingAlreadyPosted,

    /// <summary>The pending transfer has already been voided.</summary>
    PendingAlreadyVoided,

    /// <summary>A post of more than the pending amount.</summary>
    PostExceedsPending,

    /// <summary>A void whose amount is neither 0 nor the pending amount.</summary>
    VoidAmountMismatch,

    /// <summary>An account's running counter would pass <see cref="long.MaxValue"/>.</summary>
    Overflow,

    /// <summary>Another transfer of its linked chain failed, so this one was not applied (or was undone).</summary>
    LinkedEventFailed,

    /// <summary>The batch's last transfer is flagged linked, so its chain never closes: the whole chain is refused.</summary>
    LinkedChainOpen,

    /// <summary>Genesis: it has already happened.</summary>
    GenesisAlreadyDone,

    /// <summary>Genesis: the account is not the network's genesis account.</summary>
    NotGenesisAccount,
}

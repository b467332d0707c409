namespace Gpunet.Core.Ledger;

/// <summary>An account's state: its four running counters, in base units.</summary>
/// <remarks>
/// Counters only grow with posted and pending transfers and shrink when a pending transfer resolves, so they are
/// plain <see cref="long"/>s (a busy account's lifetime turnover may exceed the supply; a transfer that would pass
/// <see cref="long.MaxValue"/> is refused with <see cref="TransferResult.Overflow"/>). The balance,
/// <c>CreditsPosted − DebitsPosted</c>, is never negative and never more than the supply.
/// </remarks>
public readonly record struct LedgerAccount(
    AccountId Id,
    AccountKey Key,
    long DebitsPending,
    long DebitsPosted,
    long CreditsPending,
    long CreditsPosted)
{
    /// <summary>Posted credits minus posted debits.</summary>
    public TokenAmount Balance => TokenAmount.FromBaseUnits(CreditsPosted - DebitsPosted);

    /// <summary>What the account can still be debited: its balance less its pending (reserved) debits.</summary>
    public TokenAmount Available => TokenAmount.FromBaseUnits(CreditsPosted - DebitsPosted - DebitsPending);
}

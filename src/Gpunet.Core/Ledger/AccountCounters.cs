namespace Gpunet.Core.Ledger;

/// <summary>An account's key and its four running counters, in base units, as the book keeps and moves them.</summary>
internal struct AccountCounters
{
    public AccountKey Key;
    public long DebitsPending;
    public long DebitsPosted;
    public long CreditsPending;
    public long CreditsPosted;

    /// <summary>The account as callers see it.</summary>
    public readonly LedgerAccount ToAccount(AccountId id) => new(id, Key, DebitsPending, DebitsPosted, CreditsPending, CreditsPosted);
}

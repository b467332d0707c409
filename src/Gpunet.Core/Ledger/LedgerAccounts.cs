using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gpunet.Core.Ledger;

/// <summary>The book's accounts: each id with its key (one account per key) and its counters.</summary>
/// <remarks>Accounts are only ever added. Not thread-safe.</remarks>
internal sealed class LedgerAccounts
{
    private readonly Dictionary<AccountId, AccountCounters> _accounts = [];
    private readonly Dictionary<AccountKey, AccountId> _byKey = [];

    public int Count => _accounts.Count;

    /// <summary>Every account, in no particular order.</summary>
    public IEnumerable<LedgerAccount> All => _accounts.Select(a => a.Value.ToAccount(a.Key));

    /// <summary>The account's counters, to read or move; a null ref (<see cref="Unsafe.IsNullRef{T}(ref readonly T)"/>)
    /// for an unknown account. Valid until the next account is added.</summary>
    public ref AccountCounters Counters(AccountId id) => ref CollectionsMarshal.GetValueRefOrNullRef(_accounts, id);

    /// <summary>Creates one account, or says why not.</summary>
    public CreateAccountResult Create(AccountSpec account)
    {
        if (account.Id.Value <= 0)
            return CreateAccountResult.IdMustBePositive;
        if (!account.Key.IsValid)
            return CreateAccountResult.KeyRequired;
        if (_accounts.TryGetValue(account.Id, out var existing))
            return existing.Key == account.Key ? CreateAccountResult.Exists : CreateAccountResult.ExistsWithDifferentKey;
        if (!_byKey.TryAdd(account.Key, account.Id))
            return CreateAccountResult.KeyInUse;
        _accounts.Add(account.Id, new AccountCounters { Key = account.Key });
        return CreateAccountResult.Ok;
    }

    /// <summary>Adds stored accounts with their counters, unchecked.</summary>
    /// <exception cref="ArgumentException">An account id or key appears twice.</exception>
    public void Restore(IEnumerable<LedgerAccount> accounts)
    {
        foreach (var a in accounts)
        {
            if (!_byKey.TryAdd(a.Key, a.Id))
                throw new ArgumentException($"account key {a.Key} is used twice", nameof(accounts));
            _accounts.Add(a.Id, new AccountCounters
            {
                Key = a.Key, DebitsPending = a.DebitsPending, DebitsPosted = a.DebitsPosted,
                CreditsPending = a.CreditsPending, CreditsPosted = a.CreditsPosted,
            });
        }
    }

    public bool TryGet(AccountId id, out LedgerAccount account)
    {
        if (!_accounts.TryGetValue(id, out var s))
        {
            account = default;
            return false;
        }

        account = s.ToAccount(id);
        return true;
    }

    public bool TryGetId(AccountKey key, out AccountId id) => _byKey.TryGetValue(key, out id);
}

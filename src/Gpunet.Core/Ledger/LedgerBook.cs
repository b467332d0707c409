using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gpunet.Core.Ledger;

/// <summary>The in-memory ledger: accounts, the transfer log and the rules every store applies the same way.</summary>
/// <remarks>
/// Single-threaded; the reference semantics a durable store must match. Money is created once, by
/// <see cref="Genesis"/>, into the network's genesis account; after that transfers only move it, so the sum of all
/// balances is always the genesis total and no account goes below zero. <see cref="Apply(IReadOnlyList{Transfer})"/>
/// applies a batch in order, each transfer on its own except linked chains (all or nothing); a refused transfer changes
/// nothing. Apply allocates nothing per transfer beyond growing the log and the id index.
/// </remarks>
public sealed class LedgerBook
{
    private struct AccountState
    {
        public AccountKey Key;
        public long DebitsPending;
        public long DebitsPosted;
        public long CreditsPending;
        public long CreditsPosted;
    }

    private struct Entry
    {
        public Transfer Transfer;
        public PendingStatus Status;
        public int PendingIndex; // for posts and voids: the log index of the pending transfer; otherwise -1
    }

    private readonly Dictionary<AccountId, AccountState> _accounts = [];
    private readonly Dictionary<AccountKey, AccountId> _byKey = [];
    private readonly List<Entry> _log = [];
    private readonly Dictionary<TransferId, int> _index = [];

    /// <summary>The account credited at genesis; null before it.</summary>
    public AccountId? GenesisAccount { get; private set; }

    /// <summary>The money created at genesis (zero before it): the sum of all balances, always.</summary>
    public TokenAmount GenesisTotal { get; private set; }

    public int AccountCount => _accounts.Count;

    public int TransferCount => _log.Count;

    /// <summary>Creates accounts; each gets its own result, in order.</summary>
    public IReadOnlyList<CreateAccountResult> CreateAccounts(IReadOnlyList<AccountSpec> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var results = new CreateAccountResult[accounts.Count];
        for (var i = 0; i < results.Length; i++)
            results[i] = CreateAccount(accounts[i]);
        return results;
    }

    /// <summary>Creates one account.</summary>
    public CreateAccountResult CreateAccount(AccountSpec account)
    {
        if (account.Id.Value <= 0)
            return CreateAccountResult.IdMustBePositive;
        if (!account.Key.IsValid)
            return CreateAccountResult.KeyRequired;
        if (_accounts.TryGetValue(account.Id, out var existing))
            return existing.Key == account.Key ? CreateAccountResult.Exists : CreateAccountResult.ExistsWithDifferentKey;
        if (!_byKey.TryAdd(account.Key, account.Id))
            return CreateAccountResult.KeyInUse;
        _accounts.Add(account.Id, new AccountState { Key = account.Key });
        return CreateAccountResult.Ok;
    }

    /// <summary>Creates <paramref name="total"/> (normally <see cref="TokenAmount.TotalSupply"/>) in the genesis account, once.</summary>
    /// <returns><see cref="TransferResult.Ok"/>, or why not: <see cref="TransferResult.GenesisAlreadyDone"/>,
    /// <see cref="TransferResult.AmountMustBePositive"/>, <see cref="TransferResult.AccountNotFound"/>,
    /// <see cref="TransferResult.NotGenesisAccount"/>.</returns>
    public TransferResult Genesis(AccountId account, TokenAmount total)
    {
        if (GenesisAccount is not null)
            return TransferResult.GenesisAlreadyDone;
        if (total.IsZero)
            return TransferResult.AmountMustBePositive;
        ref var state = ref CollectionsMarshal.GetValueRefOrNullRef(_accounts, account);
        if (Unsafe.IsNullRef(ref state))
            return TransferResult.AccountNotFound;
        if (state.Key.Kind != AccountOwnerKind.Network || state.Key.Purpose != AccountPurpose.Genesis)
            return TransferResult.NotGenesisAccount;

        // Before genesis no money exists, so no transfer can have succeeded and every counter is zero.
        state.CreditsPosted = total.BaseUnits;
        GenesisAccount = account;
        GenesisTotal = total;
        return TransferResult.Ok;
    }

    /// <summary>Rebuilds a ledger from what a store holds: its accounts with their counters, the genesis, and the
    /// transfer log in the order applied. Nothing is re-checked here (<see cref="LedgerAudit"/> does that); a pending
    /// transfer is open unless a later post or void in the log names it.</summary>
    /// <exception cref="ArgumentException">An account or transfer id appears twice, or a key is used twice.</exception>
    public static LedgerBook Restore(
        IEnumerable<LedgerAccount> accounts, AccountId? genesisAccount, TokenAmount genesisTotal, IEnumerable<Transfer> transfers)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(transfers);
        var book = new LedgerBook { GenesisAccount = genesisAccount, GenesisTotal = genesisTotal };
        foreach (var a in accounts)
        {
            if (!book._byKey.TryAdd(a.Key, a.Id))
                throw new ArgumentException($"account key {a.Key} is used twice", nameof(accounts));
            book._accounts.Add(a.Id, new AccountState
            {
                Key = a.Key, DebitsPending = a.DebitsPending, DebitsPosted = a.DebitsPosted,
                CreditsPending = a.CreditsPending, CreditsPosted = a.CreditsPosted,
            });
        }

        foreach (var t in transfers)
        {
            var pendingIndex = -1;
            if (t.PendingId is { } pid && (t.Flags & (TransferFlags.PostPending | TransferFlags.VoidPending)) != 0
                && book._index.TryGetValue(pid, out pendingIndex))
            {
                CollectionsMarshal.AsSpan(book._log)[pendingIndex].Status =
                    (t.Flags & TransferFlags.PostPending) != 0 ? PendingStatus.Posted : PendingStatus.Voided;
            }

            var status = (t.Flags & TransferFlags.Pending) != 0 ? PendingStatus.Pending : PendingStatus.None;
            if (!book._index.TryAdd(t.Id, book._log.Count))
                throw new ArgumentException($"transfer {t.Id} appears twice", nameof(transfers));
            book._log.Add(new Entry { Transfer = t, Status = status, PendingIndex = pendingIndex });
        }

        return book;
    }

    /// <summary>Applies a batch in order and returns one result per transfer.</summary>
    public IReadOnlyList<TransferResult> Apply(IReadOnlyList<Transfer> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var results = new TransferResult[batch.Count];
        ReadOnlySpan<Transfer> transfers = batch switch
        {
            Transfer[] array => array,
            List<Transfer> list => CollectionsMarshal.AsSpan(list),
            _ => [.. batch],
        };
        Apply(transfers, results);
        return results;
    }

    /// <summary>Applies a batch in order, writing one result per transfer into <paramref name="results"/> (no allocation).</summary>
    public void Apply(ReadOnlySpan<Transfer> batch, Span<TransferResult> results)
    {
        if (results.Length < batch.Length)
            throw new ArgumentException("one result slot per transfer is needed", nameof(results));

        var i = 0;
        while (i < batch.Length)
        {
            if ((batch[i].Flags & TransferFlags.Linked) == 0)
            {
                results[i] = ApplyOne(in batch[i]);
                i++;
                continue;
            }

            // A chain runs from i to the first transfer without the linked flag.
            var end = i;
            while (end < batch.Length && (batch[end].Flags & TransferFlags.Linked) != 0)
                end++;
            if (end == batch.Length)
            {
                results[i..batch.Length].Fill(TransferResult.LinkedEventFailed);
                results[batch.Length - 1] = TransferResult.LinkedChainOpen;
                return;
            }

            var mark = _log.Count;
            var failed = -1;
            for (var k = i; k <= end; k++)
            {
                results[k] = ApplyOne(in batch[k]);
                if (!results[k].IsSuccess())
                {
                    failed = k;
                    break;
                }
            }

            if (failed >= 0)
            {
                Rollback(mark);
                for (var k = i; k <= end; k++)
                {
                    if (k != failed)
                        results[k] = TransferResult.LinkedEventFailed;
                }
            }

            i = end + 1;
        }
    }

    private TransferResult ApplyOne(in Transfer t)
    {
        if (t.Id.Value == UInt128.Zero)
            return TransferResult.IdMustNotBeZero;
        if (_index.TryGetValue(t.Id, out var existing))
            return _log[existing].Transfer.SameAs(in t) ? TransferResult.Exists : TransferResult.ExistsWithDifferentFields;

        const TransferFlags known = TransferFlags.Linked | TransferFlags.Pending | TransferFlags.PostPending | TransferFlags.VoidPending;
        if ((t.Flags & ~known) != 0)
            return TransferResult.UnknownFlags;
        var phase = t.Flags & (TransferFlags.Pending | TransferFlags.PostPending | TransferFlags.VoidPending);
        if (phase is not (TransferFlags.None or TransferFlags.Pending or TransferFlags.PostPending or TransferFlags.VoidPending))
            return TransferResult.FlagsAreMutuallyExclusive;
        if (phase is TransferFlags.PostPending or TransferFlags.VoidPending)
            return Resolve(in t, phase == TransferFlags.PostPending);

        if (t.PendingId is not null)
            return TransferResult.PendingIdMustBeNull;
        var amount = t.Amount.BaseUnits;
        if (amount == 0)
            return TransferResult.AmountMustBePositive;
        if (t.Debit == t.Credit)
            return TransferResult.SameAccount;
        ref var debit = ref CollectionsMarshal.GetValueRefOrNullRef(_accounts, t.Debit);
        ref var credit = ref CollectionsMarshal.GetValueRefOrNullRef(_accounts, t.Credit);
        if (Unsafe.IsNullRef(ref debit) || Unsafe.IsNullRef(ref credit))
            return TransferResult.AccountNotFound;
        if (debit.CreditsPosted - debit.DebitsPosted - debit.DebitsPending < amount)
            return TransferResult.InsufficientFunds;

        if (phase == TransferFlags.Pending)
        {
            if (Overflows(debit.DebitsPending, amount) || Overflows(credit.CreditsPending, amount))
                return TransferResult.Overflow;
            debit.DebitsPending += amount;
            credit.CreditsPending += amount;
            Append(in t, PendingStatus.Pending, -1);
        }
        else
        {
            if (Overflows(debit.DebitsPosted, amount) || Overflows(credit.CreditsPosted, amount))
                return TransferResult.Overflow;
            debit.DebitsPosted += amount;
            credit.CreditsPosted += amount;
            Append(in t, PendingStatus.None, -1);
        }

        return TransferResult.Ok;
    }

    private TransferResult Resolve(in Transfer t, bool post)
    {
        if (t.PendingId is not { } pendingId)
            return TransferResult.PendingIdRequired;
        if (!_index.TryGetValue(pendingId, out var pendingIndex))
            return TransferResult.PendingNotFound;
        ref var pending = ref CollectionsMarshal.AsSpan(_log)[pendingIndex];
        if (pending.Status == PendingStatus.None)
            return TransferResult.PendingNotFound;
        if (t.Debit != pending.Transfer.Debit || t.Credit != pending.Transfer.Credit)
            return TransferResult.PendingAccountsMismatch;
        if (pending.Status == PendingStatus.Posted)
            return TransferResult.PendingAlreadyPosted;
        if (pending.Status == PendingStatus.Voided)
            return TransferResult.PendingAlreadyVoided;

        var reserved = pending.Transfer.Amount.BaseUnits;
        var amount = t.Amount.BaseUnits;
        ref var debit = ref CollectionsMarshal.GetValueRefOrNullRef(_accounts, t.Debit);
        ref var credit = ref CollectionsMarshal.GetValueRefOrNullRef(_accounts, t.Credit);
        if (post)
        {
            if (amount == 0)
                return TransferResult.AmountMustBePositive;
            if (amount > reserved)
                return TransferResult.PostExceedsPending;
            if (Overflows(debit.DebitsPosted, amount) || Overflows(credit.CreditsPosted, amount))
                return TransferResult.Overflow;
            debit.DebitsPosted += amount;
            credit.CreditsPosted += amount;
            pending.Status = PendingStatus.Posted;
        }
        else
        {
            if (amount != 0 && amount != reserved)
                return TransferResult.VoidAmountMismatch;
            pending.Status = PendingStatus.Voided;
        }

        // Posting moves at most the reserved amount, so the debit account's available balance never drops here.
        debit.DebitsPending -= reserved;
        credit.CreditsPending -= reserved;
        Append(in t, PendingStatus.None, pendingIndex);
        return TransferResult.Ok;
    }

    private static bool Overflows(long counter, long amount) => counter > long.MaxValue - amount;

    private void Append(in Transfer t, PendingStatus status, int pendingIndex)
    {
        _index.Add(t.Id, _log.Count);
        _log.Add(new Entry { Transfer = t, Status = status, PendingIndex = pendingIndex });
    }

    // Undoes the log from its end back to `mark`, newest first, so a post is undone before its pending transfer.
    private void Rollback(int mark)
    {
        var log = CollectionsMarshal.AsSpan(_log);
        for (var i = log.Length - 1; i >= mark; i--)
        {
            ref var e = ref log[i];
            var amount = e.Transfer.Amount.BaseUnits;
            ref var debit = ref CollectionsMarshal.GetValueRefOrNullRef(_accounts, e.Transfer.Debit);
            ref var credit = ref CollectionsMarshal.GetValueRefOrNullRef(_accounts, e.Transfer.Credit);
            if (e.PendingIndex >= 0)
            {
                ref var pending = ref log[e.PendingIndex];
                var reserved = pending.Transfer.Amount.BaseUnits;
                debit.DebitsPending += reserved;
                credit.CreditsPending += reserved;
                if (pending.Status == PendingStatus.Posted)
                {
                    debit.DebitsPosted -= amount;
                    credit.CreditsPosted -= amount;
                }

                pending.Status = PendingStatus.Pending;
            }
            else if (e.Status != PendingStatus.None)
            {
                debit.DebitsPending -= amount;
                credit.CreditsPending -= amount;
            }
            else
            {
                debit.DebitsPosted -= amount;
                credit.CreditsPosted -= amount;
            }

            _index.Remove(e.Transfer.Id);
        }

        _log.RemoveRange(mark, _log.Count - mark);
    }

    /// <summary>The account's balance (posted credits minus posted debits); throws <see cref="KeyNotFoundException"/> for an unknown account.</summary>
    public TokenAmount Balance(AccountId id) => Account(id).Balance;

    /// <summary>The account with its counters; throws <see cref="KeyNotFoundException"/> for an unknown account.</summary>
    public LedgerAccount Account(AccountId id) =>
        TryGetAccount(id, out var account) ? account : throw new KeyNotFoundException($"no ledger account {id}");

    public bool TryGetAccount(AccountId id, out LedgerAccount account)
    {
        if (!_accounts.TryGetValue(id, out var s))
        {
            account = default;
            return false;
        }

        account = new LedgerAccount(id, s.Key, s.DebitsPending, s.DebitsPosted, s.CreditsPending, s.CreditsPosted);
        return true;
    }

    /// <summary>The id of the account with this key, if there is one.</summary>
    public bool TryGetAccountId(AccountKey key, out AccountId id) => _byKey.TryGetValue(key, out id);

    /// <summary>Every account, in no particular order.</summary>
    public IEnumerable<LedgerAccount> Accounts =>
        _accounts.Select(a => new LedgerAccount(a.Key, a.Value.Key, a.Value.DebitsPending, a.Value.DebitsPosted, a.Value.CreditsPending, a.Value.CreditsPosted));

    /// <summary>Every applied transfer, in the order applied.</summary>
    public IEnumerable<Transfer> Transfers => _log.Select(e => e.Transfer);

    /// <summary>The transfer at this position of the log (0 is the first applied).</summary>
    public Transfer TransferAt(int position) => _log[position].Transfer;

    /// <summary>The applied transfer with this id, if any.</summary>
    public bool TryGetTransfer(TransferId id, out Transfer transfer)
    {
        if (_index.TryGetValue(id, out var i))
        {
            transfer = _log[i].Transfer;
            return true;
        }

        transfer = default;
        return false;
    }

    /// <summary>Where the two-phase transfer with this id stands; <see cref="PendingStatus.None"/> for any other id.</summary>
    public PendingStatus PendingStatusOf(TransferId id) => _index.TryGetValue(id, out var i) ? _log[i].Status : PendingStatus.None;
}

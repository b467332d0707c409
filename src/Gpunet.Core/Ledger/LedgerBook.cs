using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gpunet.Core.Ledger;

/// <summary>The in-memory ledger: accounts, the open pending transfers, the recent transfer log and the rules every
/// store applies the same way.</summary>
/// <remarks>
/// <para>Single-threaded; the reference semantics a durable store must match. Money is created once, by
/// <see cref="Genesis"/>, into the network's genesis account; after that transfers only move it, so the sum of all
/// balances is always the genesis total and no account goes below zero. <see cref="Apply(IReadOnlyList{Transfer})"/>
/// applies a batch in order, each transfer on its own except linked chains (all or nothing); a refused transfer changes
/// nothing. Apply allocates nothing per transfer beyond growing the log and the id index.</para>
/// <para>A book made with a recent-transfer capacity keeps only about that many of the newest transfers (at most twice
/// as many), plus every open pending transfer: memory stays bounded however long the log. It then knows an older
/// transfer id only once it is told with <see cref="Remember"/> (its owner looks ids up in its store), and it drops
/// old transfers when told to (<see cref="Trim"/>); without a capacity it keeps every transfer.</para>
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

    private readonly Dictionary<AccountId, AccountState> _accounts = [];
    private readonly Dictionary<AccountKey, AccountId> _byKey = [];
    private readonly TransferLog _transfers;
    private readonly List<Transfer> _resolvedInChain = []; // pendings a linked chain resolved: a rollback reopens them

    /// <summary>A book that keeps every transfer.</summary>
    public LedgerBook()
        : this(int.MaxValue)
    {
    }

    /// <summary>A book that keeps about <paramref name="recentCapacity"/> of the newest transfers and every open pending one.</summary>
    public LedgerBook(int recentCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(recentCapacity, 1);
        _transfers = new TransferLog(recentCapacity);
    }

    /// <summary>The account credited at genesis; null before it.</summary>
    public AccountId? GenesisAccount { get; private set; }

    /// <summary>The money created at genesis (zero before it): the sum of all balances, always.</summary>
    public TokenAmount GenesisTotal { get; private set; }

    public int AccountCount => _accounts.Count;

    /// <summary>Transfers applied since genesis, kept or not: the next transfer's log position.</summary>
    public long TransferCount => _transfers.Count;

    /// <summary>The log position of the oldest transfer still kept (0 while every transfer is).</summary>
    public long OldestKeptPosition => _transfers.OldestKept;

    /// <summary>Transfers held in memory: the recent log, open pending transfers outside it, and remembered ones.</summary>
    public int KeptTransferCount => _transfers.Kept;

    /// <summary>Open pending transfers, waiting for a post or a void.</summary>
    public int OpenPendingCount => _transfers.OpenCount;

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
        IEnumerable<LedgerAccount> accounts, AccountId? genesisAccount, TokenAmount genesisTotal, IEnumerable<Transfer> transfers,
        int recentCapacity = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(transfers);
        var book = new LedgerBook(recentCapacity);
        foreach (var t in transfers)
            book.Replay(t);
        book.RestoreAccounts(accounts, genesisAccount, genesisTotal);
        return book;
    }

    /// <summary>Appends a stored transfer as it was applied, without checks: the log is replayed in order, oldest first,
    /// before <see cref="RestoreAccounts"/>; memory stays bounded by the capacity and the open pending transfers.</summary>
    /// <exception cref="ArgumentException">The id is already in the recent log.</exception>
    public void Replay(in Transfer t)
    {
        if (_transfers.TryFind(t.Id, out _, out _, out var known) && known >= 0)
            throw new ArgumentException($"transfer {t.Id} appears twice", nameof(t));
        var pendingPosition = t.PendingId is { } pid && (t.Flags & (TransferFlags.PostPending | TransferFlags.VoidPending)) != 0
            ? _transfers.ResolveReplayed(pid, (t.Flags & TransferFlags.PostPending) != 0 ? PendingStatus.Posted : PendingStatus.Voided)
            : -1;
        _transfers.Append(in t, (t.Flags & TransferFlags.Pending) != 0 ? PendingStatus.Pending : PendingStatus.None, pendingPosition);
        _transfers.Trim();
    }

    /// <summary>Sets the accounts with their counters and the genesis, once, after the log is replayed.</summary>
    /// <exception cref="ArgumentException">An account id or key appears twice.</exception>
    /// <exception cref="InvalidOperationException">The book has accounts already.</exception>
    public void RestoreAccounts(IEnumerable<LedgerAccount> accounts, AccountId? genesisAccount, TokenAmount genesisTotal)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        if (_accounts.Count > 0 || GenesisAccount is not null)
            throw new InvalidOperationException("the book has accounts already");
        (GenesisAccount, GenesisTotal) = (genesisAccount, genesisTotal);
        foreach (var a in accounts)
        {
            if (!_byKey.TryAdd(a.Key, a.Id))
                throw new ArgumentException($"account key {a.Key} is used twice", nameof(accounts));
            _accounts.Add(a.Id, new AccountState
            {
                Key = a.Key, DebitsPending = a.DebitsPending, DebitsPosted = a.DebitsPosted,
                CreditsPending = a.CreditsPending, CreditsPosted = a.CreditsPosted,
            });
        }
    }

    /// <summary>Tells the book of a stored transfer older than its recent log, so that a re-submission of its id is
    /// decided as it would be with the whole log: <paramref name="status"/> is where it stands if it is a pending
    /// transfer (an open one is kept by the book already and is not changed here).</summary>
    public void Remember(in Transfer transfer, PendingStatus status) => _transfers.Remember(in transfer, status);

    /// <summary>Whether the book knows this id: in its recent log, open, or remembered.</summary>
    public bool Knows(TransferId id) => _transfers.TryFind(id, out _, out _, out _);

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
        _transfers.Reserve(batch.Length);

        var i = 0;
        while (i < batch.Length)
        {
            _resolvedInChain.Clear();
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
                break;
            }

            var mark = TransferCount;
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

        _resolvedInChain.Clear();
    }

    private TransferResult ApplyOne(in Transfer t)
    {
        if (t.Id.Value == UInt128.Zero)
            return TransferResult.IdMustNotBeZero;
        if (_transfers.TryFind(t.Id, out var existing, out _, out _))
            return existing.SameAs(in t) ? TransferResult.Exists : TransferResult.ExistsWithDifferentFields;

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
            _transfers.Append(in t, PendingStatus.Pending, -1);
        }
        else
        {
            if (Overflows(debit.DebitsPosted, amount) || Overflows(credit.CreditsPosted, amount))
                return TransferResult.Overflow;
            debit.DebitsPosted += amount;
            credit.CreditsPosted += amount;
            _transfers.Append(in t, PendingStatus.None, -1);
        }

        return TransferResult.Ok;
    }

    private TransferResult Resolve(in Transfer t, bool post)
    {
        if (t.PendingId is not { } pendingId)
            return TransferResult.PendingIdRequired;
        // An open pending transfer is always kept; a resolved one only while recent or remembered.
        if (!_transfers.TryFind(pendingId, out var pending, out var status, out var pendingPosition) || status == PendingStatus.None)
            return TransferResult.PendingNotFound;
        if (t.Debit != pending.Debit || t.Credit != pending.Credit)
            return TransferResult.PendingAccountsMismatch;
        if (status == PendingStatus.Posted)
            return TransferResult.PendingAlreadyPosted;
        if (status == PendingStatus.Voided)
            return TransferResult.PendingAlreadyVoided;

        var reserved = pending.Amount.BaseUnits;
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
        }
        else if (amount != 0 && amount != reserved)
        {
            return TransferResult.VoidAmountMismatch;
        }

        _transfers.Resolve(in pending, pendingPosition, post ? PendingStatus.Posted : PendingStatus.Voided);
        _resolvedInChain.Add(pending);
        // Posting moves at most the reserved amount, so the debit account's available balance never drops here.
        debit.DebitsPending -= reserved;
        credit.CreditsPending -= reserved;
        _transfers.Append(in t, PendingStatus.None, pendingPosition);
        return TransferResult.Ok;
    }

    private static bool Overflows(long counter, long amount) => counter > long.MaxValue - amount;

    /// <summary>Drops the oldest transfers once the recent log holds twice its capacity (amortised: one copy per
    /// capacity transfers); open pending transfers stay known. Apply never drops, so that its caller can read what a
    /// batch appended (<see cref="TransferAt"/>) before calling this.</summary>
    public void Trim() => _transfers.Trim();

    // Undoes the log from its end back to `mark`, newest first, so a post is undone before its pending transfer.
    private void Rollback(long mark)
    {
        for (var position = TransferCount - 1; position >= mark; position--)
        {
            var e = _transfers.At(position);
            var amount = e.Transfer.Amount.BaseUnits;
            ref var debit = ref CollectionsMarshal.GetValueRefOrNullRef(_accounts, e.Transfer.Debit);
            ref var credit = ref CollectionsMarshal.GetValueRefOrNullRef(_accounts, e.Transfer.Credit);
            if ((e.Transfer.Flags & (TransferFlags.PostPending | TransferFlags.VoidPending)) != 0)
            {
                var pendingId = e.Transfer.PendingId;
                var pending = _resolvedInChain.Find(p => p.Id == pendingId);
                var reserved = pending.Amount.BaseUnits;
                debit.DebitsPending += reserved;
                credit.CreditsPending += reserved;
                if ((e.Transfer.Flags & TransferFlags.PostPending) != 0)
                {
                    debit.DebitsPosted -= amount;
                    credit.CreditsPosted -= amount;
                }

                _transfers.Reopen(in pending, e.PendingPosition);
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
        }

        _transfers.TruncateTo(mark);
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

    /// <summary>The transfers kept in the recent log, in the order applied (every applied transfer when the book
    /// has no capacity).</summary>
    public IEnumerable<Transfer> Transfers => _transfers.Recent;

    /// <summary>The transfer at this log position (0 is the first applied); it must be kept
    /// (at or after <see cref="OldestKeptPosition"/>).</summary>
    public Transfer TransferAt(long position) => _transfers.At(position).Transfer;

    /// <summary>The known transfer with this id (recent, open or remembered), if any.</summary>
    public bool TryGetTransfer(TransferId id, out Transfer transfer) => _transfers.TryFind(id, out transfer, out _, out _);

    /// <summary>Where the known two-phase transfer with this id stands; <see cref="PendingStatus.None"/> for any other id.</summary>
    public PendingStatus PendingStatusOf(TransferId id) =>
        _transfers.TryFind(id, out _, out var status, out _) ? status : PendingStatus.None;
}

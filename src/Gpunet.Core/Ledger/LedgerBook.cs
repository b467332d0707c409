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
/// <para>The book is the public face of four parts, each with one reason to change: <see cref="LedgerAccounts"/> (the
/// accounts and their counters), <see cref="TransferValidator"/> (the rules a transfer must pass),
/// <see cref="TransferPosting"/> (moving the counters, linked chains all or nothing) and <see cref="TransferLog"/>
/// (what is known of transfers).</para>
/// </remarks>
public sealed class LedgerBook
{
    private readonly LedgerAccounts _accounts = new();
    private readonly TransferLog _transfers;
    private readonly TransferPosting _posting;

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
        _posting = new TransferPosting(_accounts, _transfers);
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
    public CreateAccountResult CreateAccount(AccountSpec account) => _accounts.Create(account);

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
        ref var state = ref _accounts.Counters(account);
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
        _accounts.Restore(accounts);
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
    public void Apply(ReadOnlySpan<Transfer> batch, Span<TransferResult> results) => _posting.Apply(batch, results);

    /// <summary>Drops the oldest transfers once the recent log holds twice its capacity (amortised: one copy per
    /// capacity transfers); open pending transfers stay known. Apply never drops, so that its caller can read what a
    /// batch appended (<see cref="TransferAt"/>) before calling this.</summary>
    public void Trim() => _transfers.Trim();

    /// <summary>The account's balance (posted credits minus posted debits); throws <see cref="KeyNotFoundException"/> for an unknown account.</summary>
    public TokenAmount Balance(AccountId id) => Account(id).Balance;

    /// <summary>The account with its counters; throws <see cref="KeyNotFoundException"/> for an unknown account.</summary>
    public LedgerAccount Account(AccountId id) =>
        TryGetAccount(id, out var account) ? account : throw new KeyNotFoundException($"no ledger account {id}");

    public bool TryGetAccount(AccountId id, out LedgerAccount account) => _accounts.TryGet(id, out account);

    /// <summary>The id of the account with this key, if there is one.</summary>
    public bool TryGetAccountId(AccountKey key, out AccountId id) => _accounts.TryGetId(key, out id);

    /// <summary>Every account, in no particular order.</summary>
    public IEnumerable<LedgerAccount> Accounts => _accounts.All;

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

using System.Data.Common;
using System.Runtime.InteropServices;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>This coordinator's copy of the stored ledger: the ledger's rules (<see cref="LedgerBook"/>) applied to
/// queued requests, what the store must write for them, and each account's history.</summary>
/// <remarks>Single-threaded: only the ledger's writer changes it, and readers take the writer's gate. A decided batch
/// changes the copy at once; if the store then refuses it, the copy is restored from the store.</remarks>
internal sealed class LedgerReplica(TimeProvider time)
{
    private LedgerBook _book = new();
    private Dictionary<AccountId, List<int>> _history = [];
    private long _nextAccountId = 1;

    /// <summary>The stored ledger version this copy is of.</summary>
    public long Version { get; private set; }

    /// <summary>Whether the ledger has had its genesis.</summary>
    public bool HasGenesis => _book.GenesisAccount is not null;

    /// <summary>A batch decided in memory, to be written.</summary>
    /// <param name="Results">One array per request, in order.</param>
    /// <param name="Positions">Log positions each account takes part in, added to its history once written.</param>
    public sealed record Decided(LedgerWrite Write, TransferResult[][] Results, List<(AccountId Account, int Position)> Positions);

    /// <summary>Replaces the copy with what the store holds.</summary>
    public void Restore(StoredLedger stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        _book = LedgerBook.Restore(stored.Accounts, stored.GenesisAccount, stored.GenesisTotal, stored.Transfers);
        Version = stored.Version;
        _nextAccountId = stored.MaxAccountId + 1;
        _history = [];
        for (var i = 0; i < stored.Transfers.Count; i++)
        {
            History(stored.Transfers[i].Debit).Add(i);
            History(stored.Transfers[i].Credit).Add(i);
        }
    }

    /// <summary>Applies the requests in order and collects what the store must write.</summary>
    public Decided Decide(IReadOnlyList<LedgerRequest> group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var total = group.Sum(w => w.Transfers.Count);
        var newAccounts = new List<(long, string)>();
        var before = new Dictionary<AccountId, LedgerAccount>(Math.Min(2 * total, 1 << 20));
        var rows = new List<Storage.LedgerTransferRecord>(total);
        var positions = new List<(AccountId, int)>(2 * total);
        var results = new TransferResult[group.Count][];
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        Func<DbConnection, DbTransaction, CancellationToken, Task>? also = null;
        for (var w = 0; w < group.Count; w++)
        {
            var work = group[w];
            var batch = new Transfer[work.Transfers.Count];
            for (var i = 0; i < batch.Length; i++)
            {
                var p = work.Transfers[i];
                var debit = Resolve(p.Debit, newAccounts, before);
                var credit = Resolve(p.Credit, newAccounts, before);
                batch[i] = new Transfer(p.Id, debit, credit, p.Amount, (ushort)p.Code, p.Flags, p.PendingId, now);
            }

            var r = results[w] = new TransferResult[batch.Length];
            var mark = _book.TransferCount;
            _book.Apply(batch, r);
            if (work.InTransaction is { } step)
                also = (connection, tx, ct) => step(connection, tx, r, ct);
            for (var position = mark; position < _book.TransferCount; position++)
            {
                var t = _book.TransferAt(position);
                rows.Add(LedgerRows.Row(t, position + 1));
                positions.Add((t.Debit, position));
                positions.Add((t.Credit, position));
            }
        }

        return new Decided(new LedgerWrite(Version, newAccounts, rows, Deltas(before), also), results, positions);
    }

    /// <summary>The store holds <paramref name="decided"/> now: the copy is of the next version.</summary>
    public void Written(Decided decided)
    {
        ArgumentNullException.ThrowIfNull(decided);
        Version++;
        foreach (var (account, position) in decided.Positions)
            History(account).Add(position);
    }

    /// <summary>The accounts a written batch changed, as they stand now.</summary>
    public IEnumerable<LedgerAccount> Changed(LedgerWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return write.Deltas.Select(d => _book.Account(new AccountId(d.AccountId)));
    }

    /// <summary>Creates the network's accounts, the whole supply in the genesis account, and seeds the emission pool
    /// with the transfer <paramref name="seedId"/>: one batch, to be written with the genesis record.</summary>
    public (Decided Batch, AccountId GenesisAccount) Genesis(TokenAmount emissionPool, TransferId seedId)
    {
        var newAccounts = new List<(long, string)>();
        var before = new Dictionary<AccountId, LedgerAccount>();
        var genesisAccount = Resolve(AccountKey.Network(AccountPurpose.Genesis), newAccounts, before);
        var pool = genesisAccount;
        foreach (var purpose in (ReadOnlySpan<AccountPurpose>)[AccountPurpose.EmissionPool, AccountPurpose.Treasury, AccountPurpose.Slashed])
        {
            var id = Resolve(AccountKey.Network(purpose), newAccounts, before);
            if (purpose == AccountPurpose.EmissionPool)
                pool = id;
        }

        // Before genesis every account is zero: the deltas are the accounts' totals.
        before = before.ToDictionary(a => a.Key, a => new LedgerAccount(a.Key, a.Value.Key, 0, 0, 0, 0));
        _book.Genesis(genesisAccount, TokenAmount.TotalSupply);
        var seed = new Transfer(seedId, genesisAccount, pool, emissionPool, (ushort)TransferCode.EmissionSeed, TransferFlags.None, null,
            time.GetUtcNow().ToUnixTimeMilliseconds());
        var result = _book.Apply([seed]);
        if (result[0] != TransferResult.Ok)
            throw new InvalidOperationException($"seeding the emission pool failed: {result[0]}");
        var write = new LedgerWrite(Version, newAccounts, [LedgerRows.Row(_book.TransferAt(0), 1)], Deltas(before), null);
        return (new Decided(write, [result.ToArray()], [(genesisAccount, 0), (pool, 0)]), genesisAccount);
    }

    /// <summary>The accounts with these keys; a key without an account gets null.</summary>
    public LedgerAccount?[] Accounts(IReadOnlyList<AccountKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var result = new LedgerAccount?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            if (_book.TryGetAccountId(keys[i], out var id))
                result[i] = _book.Account(id);
        }

        return result;
    }

    /// <summary>Whether a transfer with this id is in the ledger.</summary>
    public bool HasTransfer(TransferId id) => _book.TryGetTransfer(id, out _);

    /// <summary>Where a two-phase transfer stands.</summary>
    public PendingStatus PendingStatusOf(TransferId id) => _book.PendingStatusOf(id);

    /// <summary>Transfers that moved money in or out of any of these accounts, newest first, at most
    /// <paramref name="limit"/>, older than log position <paramref name="before"/> when given.</summary>
    public List<LedgerHistoryEntry> History(IReadOnlyList<AccountKey> keys, int limit, long? before)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var positions = new SortedSet<int>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        foreach (var key in keys)
        {
            if (!_book.TryGetAccountId(key, out var id) || !_history.TryGetValue(id, out var list))
                continue;
            // Each list is in log order: walk back from the newest, at most `limit` past `before`.
            var taken = 0;
            for (var i = list.Count - 1; i >= 0 && taken < limit; i--)
            {
                if (before is { } b && list[i] + 1 >= b)
                    continue;
                positions.Add(list[i]);
                taken++;
            }
        }

        var entries = new List<LedgerHistoryEntry>(Math.Min(limit, positions.Count));
        foreach (var position in positions.Take(limit))
        {
            var t = _book.TransferAt(position);
            entries.Add(new LedgerHistoryEntry(position + 1, t.Id, _book.Account(t.Debit).Key, _book.Account(t.Credit).Key, t.Amount, (TransferCode)t.Code,
                t.Flags, t.PendingId, DateTimeOffset.FromUnixTimeMilliseconds(t.Timestamp)));
        }

        return entries;
    }

    private List<LedgerAccountDelta> Deltas(Dictionary<AccountId, LedgerAccount> before)
    {
        var deltas = new List<LedgerAccountDelta>(before.Count);
        foreach (var (id, was) in before)
        {
            var now = _book.Account(id);
            if (now != was)
            {
                deltas.Add(new LedgerAccountDelta(id.Value, now.DebitsPosted - was.DebitsPosted, now.CreditsPosted - was.CreditsPosted,
                    now.DebitsPending - was.DebitsPending, now.CreditsPending - was.CreditsPending));
            }
        }

        return deltas;
    }

    private AccountId Resolve(AccountKey key, List<(long, string)> newAccounts, Dictionary<AccountId, LedgerAccount> before)
    {
        if (!_book.TryGetAccountId(key, out var id))
        {
            id = new AccountId(_nextAccountId++);
            _book.CreateAccount(new AccountSpec(id, key));
            newAccounts.Add((id.Value, key.ToString()));
        }

        ref var snapshot = ref CollectionsMarshal.GetValueRefOrAddDefault(before, id, out var seen);
        if (!seen)
            snapshot = _book.Account(id);
        return id;
    }

    private List<int> History(AccountId id)
    {
        if (!_history.TryGetValue(id, out var list))
            _history[id] = list = [];
        return list;
    }
}

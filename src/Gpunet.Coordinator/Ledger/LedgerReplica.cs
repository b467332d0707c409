using System.Data.Common;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>This coordinator's copy of the stored ledger: the ledger's rules (<see cref="LedgerBook"/>) applied to
/// queued requests, what the store must write for them, and each account's history.</summary>
/// <remarks>Single-threaded: only the ledger's writer changes it, and readers take the writer's gate. A decided batch
/// changes the copy at once; if the store then refuses it, the copy is restored from the store. The copy holds the
/// accounts, the open pending transfers and the newest <c>recentTransfers</c> to <c>2 × recentTransfers</c> transfers;
/// older transfers are looked up in the store when a request names one (<see cref="RecallAsync"/>) and older history
/// is read from it.</remarks>
internal sealed class LedgerReplica(ILedgerStore store, TimeProvider time, int recentTransfers)
{
    /// <summary>Transfers kept in memory by default, at least (at most twice as many): a few settlement batches.</summary>
    public const int DefaultRecentTransfers = 1 << 16;

    private LedgerBook _book = new(recentTransfers);
    private Dictionary<AccountId, long> _firstPosition = []; // the oldest log position each account takes part in
    private long _nextAccountId = 1;

    /// <summary>The stored ledger version this copy is of.</summary>
    public long Version { get; private set; }

    /// <summary>Whether the ledger has had its genesis.</summary>
    public bool HasGenesis => _book.GenesisAccount is not null;

    /// <summary>Transfers held in memory (for tests and measurements).</summary>
    public int KeptTransferCount => _book.KeptTransferCount;

    /// <summary>A batch decided in memory, to be written.</summary>
    /// <param name="Results">One array per request, in order.</param>
    /// <param name="Positions">Log positions each account takes part in, noted for its history once written.</param>
    public sealed record Decided(LedgerWrite Write, TransferResult[][] Results, List<(AccountId Account, long Position)> Positions);

    /// <summary>Replaces the copy with what the store holds, reading the log once and keeping only what the rules need.</summary>
    /// <returns>The stored accounts.</returns>
    public async Task<IReadOnlyList<LedgerAccount>> LoadAsync(CancellationToken ct)
    {
        var book = new LedgerBook(recentTransfers);
        var first = new Dictionary<AccountId, long>();
        var stored = await store.ReadAsync(t =>
        {
            first.TryAdd(t.Debit, book.TransferCount);
            first.TryAdd(t.Credit, book.TransferCount);
            book.Replay(t);
        }, ct);
        book.RestoreAccounts(stored.Accounts, stored.GenesisAccount, stored.GenesisTotal);
        (_book, _firstPosition, Version, _nextAccountId) = (book, first, stored.Version, stored.MaxAccountId + 1);
        return stored.Accounts;
    }

    /// <summary>Looks up in the store the transfers the requests name that the copy does not hold: the pending
    /// transfers their posts and voids resolve and, when <paramref name="ids"/>, the requests' own ids (after the store
    /// refused a batch: an id older than the recent log may be stored already). The copy then decides them as it would
    /// with the whole log.</summary>
    /// <returns>Whether any was found.</returns>
    public async Task<bool> RecallAsync(IReadOnlyList<LedgerRequest> group, bool ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(group);
        var missing = new HashSet<TransferId>();
        foreach (var t in group.SelectMany(w => w.Transfers))
        {
            if (ids && !_book.Knows(t.Id))
                missing.Add(t.Id);
            if (t.PendingId is { } pid && (t.Flags & (TransferFlags.PostPending | TransferFlags.VoidPending)) != 0 && !_book.Knows(pid))
                missing.Add(pid);
        }

        if (missing.Count == 0)
            return false;
        var found = await store.FindAsync(missing, ct);
        // Every open pending transfer is held already: a stored pending one not held was posted or voided.
        var pendings = found.Where(t => (t.Flags & TransferFlags.Pending) != 0).Select(t => t.Id).ToList();
        var resolutions = pendings.Count == 0 ? [] : await store.ResolutionsAsync(pendings, ct);
        var status = resolutions.ToDictionary(r => r.PendingId!.Value,
            r => (r.Flags & TransferFlags.PostPending) != 0 ? PendingStatus.Posted : PendingStatus.Voided);
        foreach (var t in found)
            _book.Remember(t, (t.Flags & TransferFlags.Pending) == 0 ? PendingStatus.None : status.GetValueOrDefault(t.Id, PendingStatus.Voided));
        return found.Count > 0;
    }

    /// <summary>The ids of transfers the copy refused that it does not hold: such an id may be stored, older than the
    /// recent log, and must then be decided as a re-submission (the store refuses only ids it would write).</summary>
    public List<TransferId> RefusedUnknown(IReadOnlyList<LedgerRequest> group, Decided decided)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(decided);
        var ids = new List<TransferId>();
        for (var w = 0; w < group.Count; w++)
        {
            for (var i = 0; i < group[w].Transfers.Count; i++)
            {
                var r = decided.Results[w][i];
                if (!r.IsSuccess() && r is not (TransferResult.Exists or TransferResult.ExistsWithDifferentFields or TransferResult.LinkedEventFailed)
                    && !_book.Knows(group[w].Transfers[i].Id))
                    ids.Add(group[w].Transfers[i].Id);
            }
        }

        return ids;
    }

    /// <summary>Transfers decided per slice of a streamed batch, about (a slice ends where no linked chain is open).</summary>
    public const int SliceSize = 16_384;

    /// <summary>Applies the requests in order and collects what the store must write. With <paramref name="slices"/>,
    /// the rows are handed on there slice by slice as they are decided (<see cref="SliceSize"/> transfers each, the
    /// same rules in the same order), and the decided write holds only the rows after the last slice.</summary>
    public Decided Decide(IReadOnlyList<LedgerRequest> group, ChannelWriter<LedgerSlice>? slices = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        var total = group.Sum(w => w.Transfers.Count);
        var newAccounts = new List<(long, string)>();
        // About one account per transfer at most in practice (an epoch's settlement: 160,000 for 311,000); it grows if not.
        var before = new Dictionary<AccountId, LedgerAccount>(Math.Min(total, 1 << 20));
        var rows = new List<Storage.LedgerTransferRecord>(slices is null ? total : Math.Min(total, 2 * SliceSize));
        var positions = new List<(AccountId, long)>();
        var results = new TransferResult[group.Count][];
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var steps = new List<Func<DbConnection, DbTransaction, CancellationToken, Task>>();
        for (var w = 0; w < group.Count; w++)
        {
            var work = group[w];
            var batch = new Transfer[work.Transfers.Count];
            var r = results[w] = new TransferResult[batch.Length];
            for (int from = 0, to; from < batch.Length; from = to)
            {
                to = slices is null ? batch.Length : SliceEnd(work.Transfers, from);
                for (var i = from; i < to; i++)
                {
                    var p = work.Transfers[i];
                    var debit = Resolve(p.Debit, newAccounts, before);
                    var credit = Resolve(p.Credit, newAccounts, before);
                    batch[i] = new Transfer(p.Id, debit, credit, p.Amount, (ushort)p.Code, p.Flags, p.PendingId, now);
                }

                var mark = _book.TransferCount;
                _book.Apply(batch.AsSpan(from, to - from), r.AsSpan(from, to - from));
                for (var position = mark; position < _book.TransferCount; position++)
                {
                    var t = _book.TransferAt(position);
                    rows.Add(LedgerRows.Row(t, position + 1));
                    // Only an account's first position is kept for its history: accounts seen before need none.
                    if (!_firstPosition.ContainsKey(t.Debit))
                        positions.Add((t.Debit, position));
                    if (!_firstPosition.ContainsKey(t.Credit))
                        positions.Add((t.Credit, position));
                }

                if (slices is not null && rows.Count >= SliceSize)
                {
                    slices.TryWrite(new LedgerSlice(newAccounts, rows));
                    (newAccounts, rows) = ([], new List<Storage.LedgerTransferRecord>(SliceSize));
                }
            }

            if (work.InTransaction is { } step)
                steps.Add((connection, tx, ct) => step(connection, tx, r, ct));
        }

        var decided = new Decided(
            new LedgerWrite(Version, newAccounts, rows, Deltas(before), InOrder(steps), Prelude(group)),
            results, positions);
        // The rows are taken: the oldest transfers may go (a refused batch is undone by reloading, not from the log).
        _book.Trim();
        return decided;
    }

    /// <summary>The requests' preludes, in the order the requests came (<see cref="LedgerWrite.Prelude"/>).</summary>
    public static Func<DbConnection, DbTransaction, CancellationToken, Task>? Prelude(IReadOnlyList<LedgerRequest> group) =>
        InOrder([.. group.Select(w => w.Prelude).OfType<Func<DbConnection, DbTransaction, CancellationToken, Task>>()]);

    // Each request's own work, in the order the requests came, in the batch's transaction.
    private static Func<DbConnection, DbTransaction, CancellationToken, Task>? InOrder(List<Func<DbConnection, DbTransaction, CancellationToken, Task>> steps) =>
        steps.Count switch
        {
            0 => null,
            1 => steps[0],
            _ => async (connection, tx, ct) =>
            {
                foreach (var step in steps)
                    await step(connection, tx, ct);
            },
        };

    // Where the slice from `from` ends: about SliceSize transfers on, after a transfer that closes any linked chain.
    private static int SliceEnd(IReadOnlyList<PlannedTransfer> transfers, int from)
    {
        var end = Math.Min(transfers.Count, from + SliceSize);
        while (end < transfers.Count && (transfers[end - 1].Flags & TransferFlags.Linked) != 0)
            end++;
        return end;
    }

    /// <summary>The store holds <paramref name="decided"/> now: the copy is of the next version.</summary>
    public void Written(Decided decided)
    {
        ArgumentNullException.ThrowIfNull(decided);
        Version++;
        foreach (var (account, position) in decided.Positions)
            _firstPosition.TryAdd(account, position);
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

    /// <summary>Whether a transfer with this id is in the ledger (held, or else stored).</summary>
    public async Task<bool> HasTransferAsync(TransferId id, CancellationToken ct) =>
        _book.Knows(id) || (await store.FindAsync([id], ct)).Count > 0;

    /// <summary>Transfers that moved money in or out of any of these accounts, newest first, at most
    /// <paramref name="limit"/>, older than log position <paramref name="before"/> when given.</summary>
    /// <remarks>The recent log answers first; only a page reaching past it, for an account older than it, reads the store.</remarks>
    public async Task<List<LedgerHistoryEntry>> HistoryAsync(IReadOnlyList<AccountKey> keys, int limit, long? before, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var ids = new HashSet<AccountId>();
        foreach (var key in keys)
        {
            if (_book.TryGetAccountId(key, out var id) && _firstPosition.ContainsKey(id))
                ids.Add(id);
        }

        var entries = new List<LedgerHistoryEntry>(Math.Min(limit, 256));
        // Sequence = log position + 1; `before` is a sequence.
        var from = Math.Min(_book.TransferCount, (before ?? long.MaxValue) - 1) - 1;
        for (var position = from; position >= _book.OldestKeptPosition && entries.Count < limit && ids.Count > 0; position--)
        {
            var t = _book.TransferAt(position);
            if (ids.Contains(t.Debit) || ids.Contains(t.Credit))
                entries.Add(Entry(position + 1, t));
        }

        var older = ids.Where(id => _firstPosition[id] < _book.OldestKeptPosition).ToList();
        if (entries.Count < limit && older.Count > 0)
        {
            var below = Math.Min(before ?? long.MaxValue, _book.OldestKeptPosition + 1);
            foreach (var (sequence, t) in await store.HistoryAsync(older, below, limit - entries.Count, ct))
                entries.Add(Entry(sequence, t));
        }

        return entries;
    }

    private LedgerHistoryEntry Entry(long sequence, in Transfer t) =>
        new(sequence, t.Id, _book.Account(t.Debit).Key, _book.Account(t.Credit).Key, t.Amount, (TransferCode)t.Code, t.Flags, t.PendingId,
            DateTimeOffset.FromUnixTimeMilliseconds(t.Timestamp));

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
}

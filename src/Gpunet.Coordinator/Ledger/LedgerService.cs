using System.Data.Common;
using System.Globalization;
using System.Threading.Channels;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Ledger;

/// <summary>The coordinator's ledger: one writer that applies transfers by the ledger's rules (<see cref="LedgerBook"/>)
/// and makes them durable in batches (<see cref="LedgerRowWriter"/>) before anyone is told they happened.</summary>
/// <remarks>
/// <para>Requests queue; one loop takes what has queued (up to <see cref="MaxBatch"/> transfers), applies it in memory,
/// and writes the transfers, the new accounts and the accounts' totals in one transaction. A request is answered only
/// once its batch has committed. Reads wait for a batch being written, so nobody sees a balance that is not durable.</para>
/// <para>At start the ledger is loaded from the store; on a fresh store the supply is created once at genesis and the
/// emission pool seeded from it. Several coordinators may share a store: every batch bumps the store's ledger version
/// and commits only if nobody else wrote since (optimistic concurrency); on a conflict the ledger is reloaded and the
/// batch decided again. Reads look at the store's version first and reload when another coordinator has written, so
/// no coordinator shows a balance the store has moved past. Each account's history is indexed in memory: indexes on
/// the transfer table would cost two thirds of the write rate.</para>
/// </remarks>
internal sealed class LedgerService(
    IDbContextFactory<GpunetDb> dbFactory, TimeProvider time, LedgerGenesis genesis, ILogger<LedgerService> log) : BackgroundService
{
    /// <summary>Transfers per batch, at most (a single request larger than this is written alone).</summary>
    public const int MaxBatch = 16_380;

    /// <summary>The id of the transfer that seeds the emission pool at genesis.</summary>
    public static readonly TransferId EmissionSeedId = TransferId.FromParts(0x4745_4e45_5349_5300, 1); // "GENESIS\0", 1

    private readonly LedgerRowWriter _writer = new(dbFactory);
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LedgerBook _book = new();
    private Dictionary<AccountId, List<int>> _history = [];
    private long _version;
    private long _nextAccountId = 1;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _hostStake = new(StringComparer.Ordinal);
    private long _stakeVersion;

    private sealed record Work(
        IReadOnlyList<PlannedTransfer> Transfers,
        Func<DbConnection, DbTransaction, TransferResult[], CancellationToken, Task>? InTransaction,
        TaskCompletionSource<TransferResult[]> Done);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (_book.GenesisAccount is null)
            await GenesisAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Applies <paramref name="transfers"/> in order (linked chains all or nothing) and returns one result per
    /// transfer once they are durable. Accounts named that do not exist yet are created.</summary>
    public Task<TransferResult[]> SubmitAsync(IReadOnlyList<PlannedTransfer> transfers, CancellationToken ct) =>
        Enqueue(transfers, null, ct);

    /// <summary>Like <see cref="SubmitAsync(IReadOnlyList{PlannedTransfer}, CancellationToken)"/>, with more work that
    /// commits in the same transaction, given the transfers' results; if it throws, nothing of the batch is written and
    /// the task fails with its exception.</summary>
    public Task<TransferResult[]> SubmitAsync(
        IReadOnlyList<PlannedTransfer> transfers, Func<DbConnection, DbTransaction, TransferResult[], CancellationToken, Task> inTransaction, CancellationToken ct) =>
        Enqueue(transfers, inTransaction, ct);

    private Task<TransferResult[]> Enqueue(
        IReadOnlyList<PlannedTransfer> transfers, Func<DbConnection, DbTransaction, TransferResult[], CancellationToken, Task>? inTransaction, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transfers);
        ct.ThrowIfCancellationRequested();
        var done = new TaskCompletionSource<TransferResult[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Work(transfers, inTransaction, done)))
            throw new InvalidOperationException("the ledger is shutting down");
        return done.Task;
    }

    /// <summary>The stake a container (host id) has, durable; readable from any thread without waiting.</summary>
    public TokenAmount StakeOf(string hostId) => TokenAmount.FromBaseUnits(_hostStake.GetValueOrDefault(hostId));

    /// <summary>Changes whenever some container's stake changes (so the market retries orders waiting for staked hosts).</summary>
    public long StakeVersion => Interlocked.Read(ref _stakeVersion);

    private void NoteStakes(IEnumerable<AccountId> accounts)
    {
        var changed = false;
        foreach (var id in accounts)
        {
            var a = _book.Account(id);
            if (a.Key.Kind == AccountOwnerKind.Host)
            {
                _hostStake[a.Key.Owner] = a.Balance.BaseUnits;
                changed = true;
            }
        }

        if (changed)
            Interlocked.Increment(ref _stakeVersion);
    }

    /// <summary>The accounts with these keys as they stand (durable); a key without an account gets null.</summary>
    public async Task<LedgerAccount?[]> AccountsAsync(IReadOnlyList<AccountKey> keys, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await CatchUpAsync(ct);
            var result = new LedgerAccount?[keys.Count];
            for (var i = 0; i < keys.Count; i++)
            {
                if (_book.TryGetAccountId(keys[i], out var id))
                    result[i] = _book.Account(id);
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Transfers that moved money in or out of any of these accounts, newest first.</summary>
    /// <param name="before">Only transfers older than this log position (for paging); null for the newest.</param>
    public async Task<IReadOnlyList<LedgerHistoryEntry>> HistoryAsync(IReadOnlyList<AccountKey> keys, int limit, long? before, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await CatchUpAsync(ct);
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
            foreach (var position in positions)
            {
                if (entries.Count == limit)
                    break;
                var t = _book.TransferAt(position);
                var debit = _book.Account(t.Debit).Key;
                var credit = _book.Account(t.Credit).Key;
                entries.Add(new LedgerHistoryEntry(position + 1, t.Id, debit, credit, t.Amount, (TransferCode)t.Code, t.Flags, t.PendingId,
                    DateTimeOffset.FromUnixTimeMilliseconds(t.Timestamp)));
            }

            return entries;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Whether a transfer with this id is in the ledger: a retry of it moves nothing, whatever the balances now.</summary>
    public async Task<bool> HasTransferAsync(TransferId id, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await CatchUpAsync(ct);
            return _book.TryGetTransfer(id, out _);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Where a two-phase transfer stands.</summary>
    public async Task<PendingStatus> PendingStatusAsync(TransferId id, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await CatchUpAsync(ct);
            return _book.PendingStatusOf(id);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Audits the store (not this coordinator's memory): every transfer balances, the balances sum to the
    /// supply created at genesis, no account is below zero, and every account's totals are what its transfers give.</summary>
    public async Task<LedgerAuditResult> VerifyStoreAsync(CancellationToken ct)
    {
        var stored = await ReadStoreAsync(ct);
        return LedgerAudit.Verify(stored.GenesisAccount, stored.GenesisTotal, stored.Accounts, stored.Transfers);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<Work>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                group.Clear();
                var count = 0;
                while (count < MaxBatch && _queue.Reader.TryPeek(out var next))
                {
                    // Work with its own transaction step is written alone, so its failure fails nobody else.
                    if (group.Count > 0 && (next.InTransaction is not null || count + next.Transfers.Count > MaxBatch))
                        break;
                    _queue.Reader.TryRead(out _);
                    group.Add(next);
                    count += next.Transfers.Count;
                    if (next.InTransaction is not null)
                        break;
                }

                await ProcessAsync(group, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var left))
            left.Done.TrySetException(new InvalidOperationException("the ledger stopped before this request was written"));
    }

    private async Task ProcessAsync(List<Work> group, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var (write, results, positions) = Decide(group);
                try
                {
                    await _writer.WriteAsync(write, ct);
                    _version++;
                    NoteStakes(write.Deltas.Select(d => new AccountId(d.AccountId)));
                    foreach (var (account, position) in positions)
                        History(account).Add(position);
                    for (var i = 0; i < group.Count; i++)
                        group[i].Done.TrySetResult(results[i]);
                    return;
                }
                catch (LedgerConflictException) when (attempt < 5)
                {
                    log.LogInformation("Another coordinator wrote the ledger; reloading and deciding the batch again (attempt {Attempt})", attempt);
                    await LoadAsync(ct);
                }
                catch (Exception e)
                {
                    // Memory holds a batch the store refused: go back to what the store holds.
                    log.LogWarning(e, "A ledger batch of {Transfers} transfers was not written", group.Sum(w => w.Transfers.Count));
                    await LoadAsync(CancellationToken.None);
                    foreach (var w in group)
                        w.Done.TrySetException(e);
                    return;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    // Applies the group in memory and collects what the store must write.
    private (LedgerWrite Write, TransferResult[][] Results, List<(AccountId, int)> Positions) Decide(List<Work> group)
    {
        var total = group.Sum(w => w.Transfers.Count);
        var newAccounts = new List<(long, string)>();
        var before = new Dictionary<AccountId, LedgerAccount>(Math.Min(2 * total, 1 << 20));
        var rows = new List<LedgerTransferRecord>(total);
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
                rows.Add(Row(t, position + 1));
                positions.Add((t.Debit, position));
                positions.Add((t.Credit, position));
            }
        }

        var deltas = new List<LedgerAccountDelta>(before.Count);
        foreach (var (id, was) in before)
        {
            var now2 = _book.Account(id);
            if (now2 != was)
            {
                deltas.Add(new LedgerAccountDelta(id.Value, now2.DebitsPosted - was.DebitsPosted, now2.CreditsPosted - was.CreditsPosted,
                    now2.DebitsPending - was.DebitsPending, now2.CreditsPending - was.CreditsPending));
            }
        }

        return (new LedgerWrite(_version, newAccounts, rows, deltas, also), results, positions);
    }

    private AccountId Resolve(AccountKey key, List<(long, string)> newAccounts, Dictionary<AccountId, LedgerAccount> before)
    {
        if (!_book.TryGetAccountId(key, out var id))
        {
            id = new AccountId(_nextAccountId++);
            _book.CreateAccount(new AccountSpec(id, key));
            newAccounts.Add((id.Value, key.ToString()));
        }

        ref var snapshot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(before, id, out var seen);
        if (!seen)
            snapshot = _book.Account(id);
        return id;
    }

    private static LedgerTransferRecord Row(in Transfer t, long sequence) => new()
    {
        IdHigh = (long)t.Id.High,
        IdLow = (long)t.Id.Low,
        DebitAccountId = t.Debit.Value,
        CreditAccountId = t.Credit.Value,
        Amount = t.Amount.BaseUnits,
        Code = t.Code,
        Flags = (int)t.Flags,
        PendingIdHigh = t.PendingId is { } p ? (long)p.High : null,
        PendingIdLow = t.PendingId is { } q ? (long)q.Low : null,
        Timestamp = t.Timestamp,
        Sequence = sequence,
    };

    private List<int> History(AccountId id)
    {
        if (!_history.TryGetValue(id, out var list))
            _history[id] = list = [];
        return list;
    }

    // Creates the network's accounts, the whole supply in the genesis account, and seeds the emission pool: one batch.
    private async Task GenesisAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var newAccounts = new List<(long, string)>();
            var before = new Dictionary<AccountId, LedgerAccount>();
            var genesisAccount = Resolve(AccountKey.Network(AccountPurpose.Genesis), newAccounts, before);
            foreach (var purpose in (ReadOnlySpan<AccountPurpose>)[AccountPurpose.EmissionPool, AccountPurpose.Treasury, AccountPurpose.Slashed])
                Resolve(AccountKey.Network(purpose), newAccounts, before);
            _book.Genesis(genesisAccount, TokenAmount.TotalSupply);
            var seed = new Transfer(EmissionSeedId, genesisAccount, _book.TryGetAccountId(AccountKey.Network(AccountPurpose.EmissionPool), out var pool) ? pool : default,
                genesis.EmissionPool, (ushort)TransferCode.EmissionSeed, TransferFlags.None, null, time.GetUtcNow().ToUnixTimeMilliseconds());
            var result = _book.Apply([seed]);
            if (result[0] != TransferResult.Ok)
                throw new InvalidOperationException($"seeding the emission pool failed: {result[0]}");
            var deltas = before.Keys.Select(id =>
            {
                var a = _book.Account(id);
                return new LedgerAccountDelta(id.Value, a.DebitsPosted, a.CreditsPosted, a.DebitsPending, a.CreditsPending);
            }).ToList();
            var genesisText = $"{genesisAccount.Value}:{TokenAmount.TotalSupply.BaseUnits}";
            var write = new LedgerWrite(_version, newAccounts, [Row(_book.TransferAt(0), 1)], deltas, async (connection, tx, token) =>
            {
                await using var insert = connection.CreateCommand();
                insert.Transaction = tx;
                insert.CommandText = "INSERT INTO meta (\"Key\", \"Value\") VALUES ('ledger_genesis', @v)";
                var v = insert.CreateParameter();
                v.ParameterName = "@v";
                v.Value = genesisText;
                insert.Parameters.Add(v);
                await insert.ExecuteNonQueryAsync(token);
            });
            try
            {
                await _writer.WriteAsync(write, ct);
                _version++;
                History(genesisAccount).Add(0);
                History(pool).Add(0);
                log.LogInformation("Ledger genesis: {Supply} tokens created, {Pool} in the emission pool", TokenAmount.TotalSupply, genesis.EmissionPool);
            }
            catch (Exception e) when (e is LedgerConflictException or DbException or DbUpdateException)
            {
                // Another coordinator made the genesis first: take theirs.
                log.LogInformation("Another coordinator created the ledger's genesis; loading it");
                await LoadAsync(ct);
                if (_book.GenesisAccount is null)
                    throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed record StoredLedger(
        long Version, AccountId? GenesisAccount, TokenAmount GenesisTotal, List<LedgerAccount> Accounts, List<Transfer> Transfers, long MaxAccountId);

    // Another coordinator sharing the store may have written since this one last read or wrote: a read must not show a
    // ledger the store has moved past. One look at the version; the whole ledger is reloaded only when it moved.
    /// <summary>Reloads if another coordinator wrote the shared ledger since this one last read it, so that stake placed
    /// through another coordinator counts in this one's matcher. Skipped (false) while a batch is being written.</summary>
    public async Task<bool> TryRefreshAsync(CancellationToken ct)
    {
        if (!await _gate.WaitAsync(0, ct))
            return false;
        try
        {
            await CatchUpAsync(ct);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CatchUpAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.Meta.AsNoTracking().Where(m => m.Key == LedgerRowWriter.VersionKey).Select(m => m.Value).FirstOrDefaultAsync(ct);
        if (stored is not null && long.Parse(stored, CultureInfo.InvariantCulture) != _version)
            await LoadAsync(ct);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var stored = await ReadStoreAsync(ct);
        _book = LedgerBook.Restore(stored.Accounts, stored.GenesisAccount, stored.GenesisTotal, stored.Transfers);
        _version = stored.Version;
        _nextAccountId = stored.MaxAccountId + 1;
        _history = [];
        // Overwrite in place (the matcher reads it meanwhile: a cleared map would pause every host for a moment).
        NoteStakes(stored.Accounts.Select(a => a.Id));
        var hosts = stored.Accounts.Where(a => a.Key.Kind == AccountOwnerKind.Host).Select(a => a.Key.Owner).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _hostStake.Keys.Where(k => !hosts.Contains(k)).ToList())
            _hostStake.TryRemove(gone, out _);
        for (var i = 0; i < stored.Transfers.Count; i++)
        {
            History(stored.Transfers[i].Debit).Add(i);
            History(stored.Transfers[i].Credit).Add(i);
        }
    }

    private async Task<StoredLedger> ReadStoreAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // One read transaction: the accounts, the log and the version must be of the same moment.
        await using var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var meta = await db.Meta.AsNoTracking().Where(m => m.Key == LedgerRowWriter.VersionKey || m.Key == "ledger_genesis")
            .ToDictionaryAsync(m => m.Key, m => m.Value, ct);
        var version = meta.TryGetValue(LedgerRowWriter.VersionKey, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : 0;
        AccountId? genesisAccount = null;
        var genesisTotal = TokenAmount.Zero;
        if (meta.TryGetValue("ledger_genesis", out var g) && g.Split(':') is [var account, var total])
        {
            genesisAccount = new AccountId(long.Parse(account, CultureInfo.InvariantCulture));
            genesisTotal = TokenAmount.FromBaseUnits(long.Parse(total, CultureInfo.InvariantCulture));
        }

        var accounts = new List<LedgerAccount>();
        var maxId = 0L;
        var rows = await (from a in db.LedgerAccounts.AsNoTracking()
                          join k in db.LedgerAccountKeys.AsNoTracking() on a.Id equals k.Id
                          select new { a.Id, k.Key, a.DebitsPending, a.DebitsPosted, a.CreditsPending, a.CreditsPosted }).ToListAsync(ct);
        foreach (var a in rows)
        {
            // Benchmarks on a shared store name their accounts bench-…: they are not the ledger's.
            if (!AccountKey.TryParse(a.Key, out var key))
                continue;
            accounts.Add(new LedgerAccount(new AccountId(a.Id), key, a.DebitsPending, a.DebitsPosted, a.CreditsPending, a.CreditsPosted));
            maxId = Math.Max(maxId, a.Id);
        }

        var known = accounts.Select(a => a.Id.Value).ToHashSet();
        var transfers = new List<Transfer>();
        await foreach (var t in db.LedgerTransfers.AsNoTracking().OrderBy(t => t.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (!known.Contains(t.DebitAccountId))
                continue;
            transfers.Add(new Transfer(
                TransferId.FromParts((ulong)t.IdHigh, (ulong)t.IdLow), new AccountId(t.DebitAccountId), new AccountId(t.CreditAccountId),
                TokenAmount.FromBaseUnits(t.Amount), (ushort)t.Code, (TransferFlags)t.Flags,
                t.PendingIdHigh is { } ph && t.PendingIdLow is { } pl ? TransferId.FromParts((ulong)ph, (ulong)pl) : null, t.Timestamp));
        }

        await tx.CommitAsync(ct);
        return new StoredLedger(version, genesisAccount, genesisTotal, accounts, transfers, maxId);
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }
}

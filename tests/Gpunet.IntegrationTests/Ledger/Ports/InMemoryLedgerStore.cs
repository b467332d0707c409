using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Ledger;

namespace Gpunet.IntegrationTests.Ledger.Ports;

/// <summary>The ledger port in memory, with the database's guarantees: a batch (and the work that commits with it) is
/// written whole or not at all, a transfer id is stored once, and a batch decided on an old version is refused.</summary>
internal sealed class InMemoryLedgerStore : ILedgerStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, LedgerAccount> _accounts = [];
    private readonly List<LedgerTransferRecord> _transfers = [];
    private readonly HashSet<(long, long)> _ids = [];
    private (AccountId Account, TokenAmount Total)? _genesis;
    private long _version;

    /// <summary>Transfers stored, genesis included.</summary>
    public int TransferCount
    {
        get
        {
            lock (_lock)
                return _transfers.Count;
        }
    }

    public Task<long> VersionAsync(CancellationToken ct)
    {
        lock (_lock)
            return Task.FromResult(_version);
    }

    public Task<StoredLedger> ReadAsync(Action<Transfer> replay, CancellationToken ct)
    {
        lock (_lock)
        {
            foreach (var t in _transfers)
                replay(LedgerRows.Transfer(t));
            return Task.FromResult(new StoredLedger(_version, _genesis?.Account, _genesis?.Total ?? TokenAmount.Zero, [.. _accounts.Values],
                _accounts.Count == 0 ? 0 : _accounts.Keys.Max()));
        }
    }

    public Task<IReadOnlyList<Transfer>> FindAsync(IReadOnlyCollection<TransferId> ids, CancellationToken ct) =>
        Where(t => ids.Contains(TransferId.FromParts((ulong)t.IdHigh, (ulong)t.IdLow)));

    public Task<IReadOnlyList<Transfer>> ResolutionsAsync(IReadOnlyCollection<TransferId> pendingIds, CancellationToken ct) =>
        Where(t => t.PendingIdHigh is { } h && t.PendingIdLow is { } l && pendingIds.Contains(TransferId.FromParts((ulong)h, (ulong)l)));

    public Task<IReadOnlyList<(long Sequence, Transfer Transfer)>> HistoryAsync(
        IReadOnlyCollection<AccountId> accounts, long before, int limit, CancellationToken ct)
    {
        lock (_lock)
        {
            IReadOnlyList<(long, Transfer)> found = [.. _transfers
                .Where(t => t.Sequence < before && (accounts.Contains(new AccountId(t.DebitAccountId)) || accounts.Contains(new AccountId(t.CreditAccountId))))
                .OrderByDescending(t => t.Sequence).Take(limit).Select(t => (t.Sequence, LedgerRows.Transfer(t)))];
            HistoryReads++;
            return Task.FromResult(found);
        }
    }

    /// <summary>How many times history was read from this store (the ledger reads it only past what memory holds).</summary>
    public int HistoryReads { get; private set; }

    private Task<IReadOnlyList<Transfer>> Where(Func<LedgerTransferRecord, bool> match)
    {
        lock (_lock)
            return Task.FromResult<IReadOnlyList<Transfer>>([.. _transfers.Where(match).Select(LedgerRows.Transfer)]);
    }

    public Task WriteAsync(LedgerWrite write, CancellationToken ct) => WriteAsync(write, null, ct);

    public Task WriteGenesisAsync(LedgerWrite write, AccountId account, TokenAmount total, CancellationToken ct) => WriteAsync(write, (account, total), ct);

    private async Task WriteAsync(LedgerWrite write, (AccountId, TokenAmount)? genesis, CancellationToken ct)
    {
        long version;
        lock (_lock)
        {
            version = _version;
            if (write.ExpectedVersion is { } expected && expected != version)
                throw new LedgerConflictException(expected);
            if (genesis is not null && _genesis is not null)
                throw new InvalidOperationException("the genesis is stored already");
            if (write.Transfers.Any(t => _ids.Contains((t.IdHigh, t.IdLow))))
                throw new InvalidOperationException("a transfer id is stored already");
        }

        // The work that commits with the batch runs first, as in the database's transaction; if it throws, nothing is written.
        var tx = new InMemoryTransaction();
        if (write.Prelude is { } prelude)
            await prelude(null!, tx, ct);
        if (write.InTransaction is { } also)
            await also(null!, tx, ct); // no connection: the in-memory ports write through the transaction
        lock (_lock)
        {
            if (_version != version)
                throw new LedgerConflictException(version);
            foreach (var (id, key) in write.NewAccounts)
                _accounts.Add(id, new LedgerAccount(new AccountId(id), AccountKey.Parse(key), 0, 0, 0, 0));
            foreach (var d in write.Deltas)
            {
                var a = _accounts[d.AccountId];
                _accounts[d.AccountId] = a with
                {
                    DebitsPosted = a.DebitsPosted + d.DebitsPosted, CreditsPosted = a.CreditsPosted + d.CreditsPosted,
                    DebitsPending = a.DebitsPending + d.DebitsPending, CreditsPending = a.CreditsPending + d.CreditsPending,
                };
            }

            foreach (var t in write.Transfers)
            {
                _ids.Add((t.IdHigh, t.IdLow));
                _transfers.Add(t);
            }

            if (genesis is { } g)
                _genesis = g;
            if (write.ExpectedVersion is not null)
                _version++;
            tx.Commit();
        }
    }
}

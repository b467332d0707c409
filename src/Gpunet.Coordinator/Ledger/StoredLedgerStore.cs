using System.Globalization;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Ledger;

/// <summary>The ledger in the coordinator's database: reads through EF Core, writes batches through
/// <see cref="LedgerRowWriter"/>'s plain SQL.</summary>
/// <remarks>Every account in the store is the ledger's: benchmarks write to stores of their own.</remarks>
internal sealed class StoredLedgerStore(IDbContextFactory<GpunetDb> dbFactory) : ILedgerStore
{
    /// <summary>Where the genesis is recorded in <c>meta</c>: "account-id:total".</summary>
    public const string GenesisKey = "ledger_genesis";

    private readonly LedgerRowWriter _writer = new(dbFactory);

    public async Task<long> VersionAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.Meta.AsNoTracking().Where(m => m.Key == LedgerRowWriter.VersionKey).Select(m => m.Value).FirstOrDefaultAsync(ct);
        return stored is null ? 0 : long.Parse(stored, CultureInfo.InvariantCulture);
    }

    public Task WriteAsync(LedgerWrite write, CancellationToken ct) => _writer.WriteAsync(write, ct);

    public Task WriteAsync(LedgerStream stream, CancellationToken ct) => _writer.WriteAsync(stream, ct);

    public Task WriteGenesisAsync(LedgerWrite write, AccountId account, TokenAmount total, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(write);
        var text = $"{account.Value}:{total.BaseUnits}";
        // The genesis row's key is unique: a second genesis fails here and writes nothing.
        return _writer.WriteAsync(write with
        {
            InTransaction = async (connection, tx, token) =>
            {
                await using var insert = connection.CreateCommand();
                insert.Transaction = tx;
                insert.CommandText = "INSERT INTO meta (\"Key\", \"Value\") VALUES (@k, @v)";
                foreach (var (name, value) in (ReadOnlySpan<(string, string)>)[("@k", GenesisKey), ("@v", text)])
                {
                    var p = insert.CreateParameter();
                    p.ParameterName = name;
                    p.Value = value;
                    insert.Parameters.Add(p);
                }

                await insert.ExecuteNonQueryAsync(token);
            },
        }, ct);
    }

    public async Task<StoredLedger> ReadAsync(Action<Transfer> replay, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(replay);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // One read transaction: the accounts, the log and the version must be of the same moment.
        await using var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var meta = await db.Meta.AsNoTracking().Where(m => m.Key == LedgerRowWriter.VersionKey || m.Key == GenesisKey)
            .ToDictionaryAsync(m => m.Key, m => m.Value, ct);
        var version = meta.TryGetValue(LedgerRowWriter.VersionKey, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : 0;
        AccountId? genesisAccount = null;
        var genesisTotal = TokenAmount.Zero;
        if (meta.TryGetValue(GenesisKey, out var g) && g.Split(':') is [var account, var total])
        {
            genesisAccount = new AccountId(long.Parse(account, CultureInfo.InvariantCulture));
            genesisTotal = TokenAmount.FromBaseUnits(long.Parse(total, CultureInfo.InvariantCulture));
        }

        var rows = await (from a in db.LedgerAccounts.AsNoTracking()
                          join k in db.LedgerAccountKeys.AsNoTracking() on a.Id equals k.Id
                          select new { a.Id, k.Key, a.DebitsPending, a.DebitsPosted, a.CreditsPending, a.CreditsPosted }).ToListAsync(ct);
        var accounts = rows.Select(a => new LedgerAccount(new AccountId(a.Id), AccountKey.Parse(a.Key), a.DebitsPending, a.DebitsPosted, a.CreditsPending, a.CreditsPosted))
            .ToList();
        // Streamed: each row is handed on and dropped, so reading a long log holds no more than the reader keeps.
        await foreach (var t in db.LedgerTransfers.AsNoTracking().OrderBy(t => t.Sequence).AsAsyncEnumerable().WithCancellation(ct))
            replay(LedgerRows.Transfer(t));
        await tx.CommitAsync(ct);
        return new StoredLedger(version, genesisAccount, genesisTotal, accounts, rows.Count == 0 ? 0 : rows.Max(a => a.Id));
    }

    public Task<IReadOnlyList<Transfer>> FindAsync(IReadOnlyCollection<TransferId> ids, CancellationToken ct) =>
        ByIdPairsAsync("\"IdHigh\", \"IdLow\"", ids, ct);

    public Task<IReadOnlyList<Transfer>> ResolutionsAsync(IReadOnlyCollection<TransferId> pendingIds, CancellationToken ct) =>
        ByIdPairsAsync("\"PendingIdHigh\", \"PendingIdLow\"", pendingIds, ct);

    public async Task<IReadOnlyList<(long Sequence, Transfer Transfer)>> HistoryAsync(
        IReadOnlyCollection<AccountId> accounts, long before, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var ids = accounts.Select(a => a.Value).ToArray();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.LedgerTransfers.AsNoTracking()
            .Where(t => t.Sequence < before && (ids.Contains(t.DebitAccountId) || ids.Contains(t.CreditAccountId)))
            .OrderByDescending(t => t.Sequence).Take(limit).ToListAsync(ct);
        return [.. rows.Select(r => (r.Sequence, LedgerRows.Transfer(r)))];
    }

    // Looks transfers up by a pair of id columns, a few hundred ids per statement (SQLite allows 32,766 parameters).
    private async Task<IReadOnlyList<Transfer>> ByIdPairsAsync(string columns, IReadOnlyCollection<TransferId> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var found = new List<Transfer>();
        if (ids.Count == 0)
            return found;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var factory = db.Database.GetDbConnection().CreateCommand(); // makes the provider's parameters
        foreach (var chunk in ids.Chunk(500))
        {
            var values = string.Join(", ", chunk.Select((_, i) => $"(@h{i}, @l{i})"));
#pragma warning disable EF1002 // the SQL names only fixed columns and numbered parameters; every value is a parameter
            var query = db.LedgerTransfers.FromSqlRaw(
                $"SELECT * FROM ledger_transfers WHERE ({columns}) IN (VALUES {values})",
                [.. chunk.SelectMany((id, i) => new object[] { Parameter(factory, $"@h{i}", (long)id.High), Parameter(factory, $"@l{i}", (long)id.Low) })]);
#pragma warning restore EF1002
            await foreach (var row in query.AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
                found.Add(LedgerRows.Transfer(row));
        }

        return found;
    }

    private static System.Data.Common.DbParameter Parameter(System.Data.Common.DbCommand factory, string name, long value)
    {
        var p = factory.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        return p;
    }
}

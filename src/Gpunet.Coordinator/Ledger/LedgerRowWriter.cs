using System.Data.Common;
using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Writes a batch of transfers and the account totals they move, in one transaction, with plain SQL.</summary>
/// <remarks>The ledger's hot path cannot afford an ORM (issue 4: ≥ 150,000 transfers/s batched on SQLite): on SQLite,
/// in-process, one prepared statement run per transfer and one per account touched; on PostgreSQL, the transfers
/// through binary <c>COPY</c> and every account in one <c>UPDATE … FROM unnest(…)</c>, so a batch is three round trips
/// whatever its size. A batch that fails (a transfer id already stored) is rolled back whole. Thread-safe: each call
/// uses its own connection.</remarks>
internal sealed class LedgerRowWriter(IDbContextFactory<GpunetDb> dbFactory)
{
    private const string InsertSql = "INSERT INTO ledger_transfers (\"IdHigh\", \"IdLow\", \"DebitAccountId\", \"CreditAccountId\", \"Amount\", \"Code\", \"Flags\", \"PendingIdHigh\", \"PendingIdLow\", \"Timestamp\", \"Sequence\") VALUES (@h, @l, @d, @c, @a, @k, @f, @ph, @pl, @t, @s)";
    private const string UpdateSql = "UPDATE ledger_accounts SET \"DebitsPosted\" = \"DebitsPosted\" + @d, \"CreditsPosted\" = \"CreditsPosted\" + @c, \"DebitsPending\" = \"DebitsPending\" + @dp, \"CreditsPending\" = \"CreditsPending\" + @cp WHERE \"Id\" = @i";

    /// <summary>Stores <paramref name="transfers"/> and applies <paramref name="deltas"/> (one per account) atomically.</summary>
    /// <exception cref="DbException">A transfer id is already stored, or an account is missing; nothing was written.</exception>
    public Task WriteAsync(IReadOnlyList<LedgerTransferRecord> transfers, IReadOnlyList<LedgerAccountDelta> deltas, CancellationToken ct) =>
        WriteAsync(new LedgerWrite(null, [], transfers, deltas, null), ct);

    /// <summary>Writes one batch of the ledger service in one transaction: the version check, new accounts, transfers,
    /// account totals, then <see cref="LedgerWrite.InTransaction"/> (e.g. an epoch marked settled).</summary>
    /// <exception cref="LedgerConflictException">Another coordinator wrote the ledger since <see cref="LedgerWrite.ExpectedVersion"/>; nothing was written.</exception>
    /// <exception cref="DbException">A transfer or account id is already stored, or an account is missing; nothing was written.</exception>
    public Task WriteAsync(LedgerWrite write, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(write);
        return InTransactionAsync(write, (connection, tx, token) => RestAsync(connection, tx, write, token), ct);
    }

    /// <summary>Writes a streamed batch in one transaction: the version check and the prelude, each slice as it comes,
    /// then the rest once it is decided (<see cref="LedgerStream"/>).</summary>
    /// <exception cref="LedgerConflictException">Another coordinator wrote the ledger since the head's expected version; nothing was written.</exception>
    public Task WriteAsync(LedgerStream stream, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return InTransactionAsync(stream.Head, async (connection, tx, token) =>
        {
            await foreach (var slice in stream.Slices.ReadAllAsync(token))
                await RowsAsync(connection, tx, slice.NewAccounts, slice.Transfers, token);
            await RestAsync(connection, tx, await stream.Rest, token);
        }, ct);
    }

    // One transaction: the version check, the head's prelude, the rows, then the commit.
    private async Task InTransactionAsync(LedgerWrite head, Func<DbConnection, DbTransaction, CancellationToken, Task> rows, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        if (connection is not NpgsqlConnection)
            await PragmasAsync(connection, ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (head.ExpectedVersion is { } expected)
            await BumpVersionAsync(connection, tx, expected, ct);
        if (head.Prelude is { } prelude)
            await prelude(connection, tx, ct);
        await rows(connection, tx, ct);
        await tx.CommitAsync(ct);
    }

    // The last rows of a batch, every account's totals, and the work that commits with them.
    private static async Task RestAsync(DbConnection connection, DbTransaction tx, LedgerWrite write, CancellationToken ct)
    {
        await RowsAsync(connection, tx, write.NewAccounts, write.Transfers, ct);
        if (connection is NpgsqlConnection pg)
            await UpdateAllAsync(pg, (NpgsqlTransaction)tx, write.Deltas, ct);
        else
            UpdateEach(connection, write.Deltas);
        if (write.InTransaction is { } also)
            await also(connection, tx, ct);
    }

    private static async Task RowsAsync(
        DbConnection connection, DbTransaction tx, IReadOnlyList<(long Id, string Key)> accounts, IReadOnlyList<LedgerTransferRecord> transfers, CancellationToken ct)
    {
        if (accounts.Count > 0)
            await InsertAccountsAsync(connection, tx, accounts, ct);
        if (transfers.Count == 0)
            return;
        if (connection is NpgsqlConnection pg)
            await CopyAsync(pg, transfers, ct);
        else
            InsertEach(connection, transfers);
    }

    /// <summary>The ledger's version: bumped by every batch the ledger service writes.</summary>
    public const string VersionKey = "ledger_version";

    // Optimistic concurrency between coordinators sharing a store: the batch commits only if nobody wrote since this
    // coordinator last read or wrote the ledger. On PostgreSQL the row lock serialises two writers; the second sees 0 rows.
    private static async Task BumpVersionAsync(DbConnection connection, DbTransaction tx, long expected, CancellationToken ct)
    {
        await using var bump = connection.CreateCommand();
        bump.Transaction = tx;
        bump.CommandText = "UPDATE meta SET \"Value\" = @next WHERE \"Key\" = @key AND \"Value\" = @expected";
        var (next, key, was) = (Add(bump, "@next"), Add(bump, "@key"), Add(bump, "@expected"));
        next.Value = (expected + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        key.Value = VersionKey;
        was.Value = expected.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (await bump.ExecuteNonQueryAsync(ct) != 1)
            throw new LedgerConflictException(expected);
    }

    /// <summary>Creates accounts (all totals zero) with their keys, in one transaction.</summary>
    public async Task CreateAccountsAsync(IReadOnlyList<(long Id, string Key)> accounts, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        await using var tx = await connection.BeginTransactionAsync(ct);
        await InsertAccountsAsync(connection, tx, accounts, ct);
        await tx.CommitAsync(ct);
    }

    private static async Task InsertAccountsAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<(long Id, string Key)> accounts, CancellationToken ct)
    {
        if (connection is NpgsqlConnection pg)
        {
            await using (var copy = await pg.BeginBinaryImportAsync(
                "COPY ledger_accounts (\"Id\", \"DebitsPosted\", \"CreditsPosted\", \"DebitsPending\", \"CreditsPending\", \"Flags\") FROM STDIN (FORMAT BINARY)", ct))
            {
                foreach (var (id, _) in accounts)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(id, NpgsqlDbType.Bigint, ct);
                    for (var i = 0; i < 4; i++)
                        await copy.WriteAsync(0L, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(0, NpgsqlDbType.Integer, ct);
                }

                await copy.CompleteAsync(ct);
            }

            await using var keys = await pg.BeginBinaryImportAsync("COPY ledger_account_keys (\"Id\", \"Key\") FROM STDIN (FORMAT BINARY)", ct);
            foreach (var (id, key) in accounts)
            {
                await keys.StartRowAsync(ct);
                await keys.WriteAsync(id, NpgsqlDbType.Bigint, ct);
                await keys.WriteAsync(key, NpgsqlDbType.Varchar, ct);
            }

            await keys.CompleteAsync(ct);
        }
        else
        {
            var db = SqliteStatements.Handle(connection);
            using var account = SqliteStatements.Prepare(db, "INSERT INTO ledger_accounts (\"Id\", \"DebitsPosted\", \"CreditsPosted\", \"DebitsPending\", \"CreditsPending\", \"Flags\") VALUES (@i, 0, 0, 0, 0, 0)");
            using var name = SqliteStatements.Prepare(db, "INSERT INTO ledger_account_keys (\"Id\", \"Key\") VALUES (@i, @k)");
            foreach (var (id, key) in accounts)
            {
                raw.sqlite3_bind_int64(account, 1, id);
                SqliteStatements.Step(db, account);
                raw.sqlite3_bind_int64(name, 1, id);
                raw.sqlite3_bind_text(name, 2, key);
                SqliteStatements.Step(db, name);
            }
        }
    }

    /// <summary>SQLite settings are per connection: WAL's NORMAL sync (durable at checkpoints, crash-safe) and a page
    /// cache large enough for the accounts a batch touches at random.</summary>
    private static async Task PragmasAsync(DbConnection connection, CancellationToken ct)
    {
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;";
        await pragma.ExecuteNonQueryAsync(ct);
    }

    // SQLite runs in-process: one prepared statement run per row, through SQLite's own API (SqliteStatements).
    private static void InsertEach(DbConnection connection, IReadOnlyList<LedgerTransferRecord> transfers)
    {
        var db = SqliteStatements.Handle(connection);
        using var insert = SqliteStatements.Prepare(db, InsertSql);
        foreach (var x in transfers)
        {
            raw.sqlite3_bind_int64(insert, 1, x.IdHigh);
            raw.sqlite3_bind_int64(insert, 2, x.IdLow);
            raw.sqlite3_bind_int64(insert, 3, x.DebitAccountId);
            raw.sqlite3_bind_int64(insert, 4, x.CreditAccountId);
            raw.sqlite3_bind_int64(insert, 5, x.Amount);
            raw.sqlite3_bind_int64(insert, 6, x.Code);
            raw.sqlite3_bind_int64(insert, 7, x.Flags);
            SqliteStatements.BindNullable(insert, 8, x.PendingIdHigh);
            SqliteStatements.BindNullable(insert, 9, x.PendingIdLow);
            raw.sqlite3_bind_int64(insert, 10, x.Timestamp);
            raw.sqlite3_bind_int64(insert, 11, x.Sequence);
            SqliteStatements.Step(db, insert);
        }
    }

    private static void UpdateEach(DbConnection connection, IReadOnlyList<LedgerAccountDelta> deltas)
    {
        var db = SqliteStatements.Handle(connection);
        using var update = SqliteStatements.Prepare(db, UpdateSql);
        foreach (var x in deltas)
        {
            raw.sqlite3_bind_int64(update, 1, x.DebitsPosted);
            raw.sqlite3_bind_int64(update, 2, x.CreditsPosted);
            raw.sqlite3_bind_int64(update, 3, x.DebitsPending);
            raw.sqlite3_bind_int64(update, 4, x.CreditsPending);
            raw.sqlite3_bind_int64(update, 5, x.AccountId);
            if (SqliteStatements.Step(db, update) != 1)
                throw new InvalidOperationException($"ledger account {x.AccountId} does not exist");
        }
    }

    private static async Task CopyAsync(NpgsqlConnection pg, IReadOnlyList<LedgerTransferRecord> transfers, CancellationToken ct)
    {
        await using var copy = await pg.BeginBinaryImportAsync(
            "COPY ledger_transfers (\"IdHigh\", \"IdLow\", \"DebitAccountId\", \"CreditAccountId\", \"Amount\", \"Code\", \"Flags\", \"PendingIdHigh\", \"PendingIdLow\", \"Timestamp\", \"Sequence\") FROM STDIN (FORMAT BINARY)", ct);
        foreach (var x in transfers)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(x.IdHigh, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(x.IdLow, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(x.DebitAccountId, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(x.CreditAccountId, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(x.Amount, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(x.Code, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(x.Flags, NpgsqlDbType.Integer, ct);
            if (x.PendingIdHigh is { } high)
                await copy.WriteAsync(high, NpgsqlDbType.Bigint, ct);
            else
                await copy.WriteNullAsync(ct);
            if (x.PendingIdLow is { } low)
                await copy.WriteAsync(low, NpgsqlDbType.Bigint, ct);
            else
                await copy.WriteNullAsync(ct);
            await copy.WriteAsync(x.Timestamp, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(x.Sequence, NpgsqlDbType.Bigint, ct);
        }

        await copy.CompleteAsync(ct);
    }

    private static async Task UpdateAllAsync(NpgsqlConnection pg, NpgsqlTransaction tx, IReadOnlyList<LedgerAccountDelta> deltas, CancellationToken ct)
    {
        if (deltas.Count == 0)
            return;
        await using var update = new NpgsqlCommand(
            "UPDATE ledger_accounts a SET \"DebitsPosted\" = a.\"DebitsPosted\" + v.d, \"CreditsPosted\" = a.\"CreditsPosted\" + v.c, " +
            "\"DebitsPending\" = a.\"DebitsPending\" + v.dp, \"CreditsPending\" = a.\"CreditsPending\" + v.cp " +
            "FROM unnest(@i, @d, @c, @dp, @cp) AS v(i, d, c, dp, cp) WHERE a.\"Id\" = v.i", pg, tx);
        update.Parameters.AddWithValue("i", deltas.Select(x => x.AccountId).ToArray());
        update.Parameters.AddWithValue("d", deltas.Select(x => x.DebitsPosted).ToArray());
        update.Parameters.AddWithValue("c", deltas.Select(x => x.CreditsPosted).ToArray());
        update.Parameters.AddWithValue("dp", deltas.Select(x => x.DebitsPending).ToArray());
        update.Parameters.AddWithValue("cp", deltas.Select(x => x.CreditsPending).ToArray());
        if (await update.ExecuteNonQueryAsync(ct) != deltas.Count)
            throw new InvalidOperationException("a ledger account of the batch does not exist");
    }

    private static DbParameter Add(DbCommand command, string name)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = 0L;
        command.Parameters.Add(p);
        return p;
    }
}

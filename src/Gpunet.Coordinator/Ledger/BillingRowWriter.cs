using System.Data.Common;
using Gpunet.Coordinator.Storage;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Writes the rows a settlement changes besides the ledger's, in the settlement's transaction: the leases'
/// billing state (charged seconds, the milliseconds carried, the hold, the closing epoch).</summary>
/// <remarks>One prepared statement per row on SQLite (in-process, so a row costs a microsecond; <see cref="SqliteStatements"/>), one statement over
/// arrays on PostgreSQL (one round trip); EF's tracked <c>UpdateRange</c> of 50,000 rows took seconds.</remarks>
internal static class BillingRowWriter
{
    public static async Task UpdateAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<LeaseBillingRecord> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
            return;
        if (connection is NpgsqlConnection pg)
        {
            await using var update = new NpgsqlCommand(
                "UPDATE lease_billing AS b SET \"ChargedSeconds\" = u.charged, \"CarriedMs\" = u.carried, \"HoldId\" = u.hold, \"HoldAmount\" = u.amount, \"ClosedEpoch\" = u.closed " +
                "FROM unnest(@ids, @charged, @carried, @holds, @amounts, @closed) AS u(id, charged, carried, hold, amount, closed) WHERE b.\"LeaseId\" = u.id",
                pg, (NpgsqlTransaction)tx);
            update.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.LeaseId).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("charged", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => r.ChargedSeconds).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("carried", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => r.CarriedMs).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("holds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => (object?)r.HoldId ?? DBNull.Value).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("amounts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => r.HoldAmount).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("closed", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => (object?)r.ClosedEpoch ?? DBNull.Value).ToArray() });
            await update.ExecuteNonQueryAsync(ct);
            return;
        }

        var db = SqliteStatements.Handle(connection);
        using var command = SqliteStatements.Prepare(db,
            "UPDATE lease_billing SET \"ChargedSeconds\" = @c, \"CarriedMs\" = @m, \"HoldId\" = @h, \"HoldAmount\" = @a, \"ClosedEpoch\" = @e WHERE \"LeaseId\" = @i");
        foreach (var r in rows)
        {
            raw.sqlite3_bind_int64(command, 1, r.ChargedSeconds);
            raw.sqlite3_bind_int64(command, 2, r.CarriedMs);
            SqliteStatements.BindNullable(command, 3, r.HoldId);
            raw.sqlite3_bind_int64(command, 4, r.HoldAmount);
            SqliteStatements.BindNullable(command, 5, r.ClosedEpoch);
            raw.sqlite3_bind_text(command, 6, r.LeaseId);
            SqliteStatements.Step(db, command);
        }
    }
}

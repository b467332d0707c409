using System.Data.Common;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Writes a settlement's <see cref="HostEarning"/> rows in its transaction: one prepared statement for every row on
/// SQLite, binary <c>COPY</c> on PostgreSQL (as <see cref="TrancheRowWriter"/>).</summary>
internal static class HostEarningRowWriter
{
    public static async Task WriteAsync(DbConnection connection, DbTransaction tx, long epoch, IReadOnlyList<HostEarning> earnings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(earnings);
        if (earnings.Count == 0)
            return;
        if (connection is NpgsqlConnection pg)
        {
            await using var copy = await pg.BeginBinaryImportAsync(
                "COPY host_earnings (\"HostId\", \"Epoch\", \"Operator\", \"Capacity\", \"Delivery\", \"Fees\", \"Slashed\", \"Credited\") FROM STDIN (FORMAT BINARY)", ct);
            foreach (var e in earnings)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(e.Host.Value, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(epoch, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(e.Operator.Value, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(e.Capacity.BaseUnits, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(e.Delivery.BaseUnits, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(e.Fees.BaseUnits, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(e.Slashed.BaseUnits, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(e.Credited.BaseUnits, NpgsqlDbType.Bigint, ct);
            }

            await copy.CompleteAsync(ct);
            return;
        }

        // Bound column by column, as TrancheRowWriter: one row per paid host an epoch, without EF's boxed getters.
        var db = SqliteStatements.Handle(connection);
        using var insert = SqliteStatements.Prepare(db,
            "INSERT INTO host_earnings (\"HostId\", \"Epoch\", \"Operator\", \"Capacity\", \"Delivery\", \"Fees\", \"Slashed\", \"Credited\") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        foreach (var e in earnings)
        {
            raw.sqlite3_bind_text(insert, 1, e.Host.Value);
            raw.sqlite3_bind_int64(insert, 2, epoch);
            raw.sqlite3_bind_text(insert, 3, e.Operator.Value);
            raw.sqlite3_bind_int64(insert, 4, e.Capacity.BaseUnits);
            raw.sqlite3_bind_int64(insert, 5, e.Delivery.BaseUnits);
            raw.sqlite3_bind_int64(insert, 6, e.Fees.BaseUnits);
            raw.sqlite3_bind_int64(insert, 7, e.Slashed.BaseUnits);
            raw.sqlite3_bind_int64(insert, 8, e.Credited.BaseUnits);
            SqliteStatements.Step(db, insert);
        }
    }
}

using System.Data.Common;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Writes what a settlement changed of the vesting tranches, in its transaction: the epoch's new tranches,
/// the slashed ones, and the fully released ones removed; every other tranche stays as stored (what it has released
/// is computed from time, <see cref="VestingTranche.AsOf"/>).</summary>
/// <remarks>As <see cref="BillingRowWriter"/>: one prepared statement per row on SQLite, binary <c>COPY</c> and
/// statements over arrays on PostgreSQL.</remarks>
internal static class TrancheRowWriter
{
    public static async Task WriteAsync(DbConnection connection, DbTransaction tx, VestingChanges changes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (connection is NpgsqlConnection pg)
        {
            await WriteAsync(pg, (NpgsqlTransaction)tx, changes, ct);
            return;
        }

        var db = SqliteStatements.Handle(connection);
        if (changes.Removed.Count > 0)
        {
            using var delete = SqliteStatements.Prepare(db, "DELETE FROM vesting_tranches WHERE \"Owner\" = @o AND \"Epoch\" = @e");
            foreach (var (owner, epoch) in changes.Removed)
            {
                raw.sqlite3_bind_text(delete, 1, owner.Value);
                raw.sqlite3_bind_int64(delete, 2, epoch);
                SqliteStatements.Step(db, delete);
            }
        }

        if (changes.Updated.Count > 0)
        {
            using var update = SqliteStatements.Prepare(db, "UPDATE vesting_tranches SET \"Amount\" = @a, \"Released\" = @r WHERE \"Owner\" = @o AND \"Epoch\" = @e");
            foreach (var t in changes.Updated)
            {
                raw.sqlite3_bind_int64(update, 1, t.Amount.BaseUnits);
                raw.sqlite3_bind_int64(update, 2, t.Released.BaseUnits);
                raw.sqlite3_bind_text(update, 3, t.Owner.Value);
                raw.sqlite3_bind_int64(update, 4, t.Epoch);
                SqliteStatements.Step(db, update);
            }
        }

        if (changes.Inserted.Count == 0)
            return;
        // The same encoding of times as the store's model uses on SQLite (GpunetDb: UTC ticks).
        var toStore = new DateTimeOffsetToBinaryConverter().ConvertToProviderExpression.Compile();
        using var insert = SqliteStatements.Prepare(db, "INSERT INTO vesting_tranches (\"Owner\", \"Epoch\", \"Amount\", \"Released\", \"Start\") VALUES (@o, @e, @a, @r, @s)");
        foreach (var t in changes.Inserted)
        {
            raw.sqlite3_bind_text(insert, 1, t.Owner.Value);
            raw.sqlite3_bind_int64(insert, 2, t.Epoch);
            raw.sqlite3_bind_int64(insert, 3, t.Amount.BaseUnits);
            raw.sqlite3_bind_int64(insert, 4, t.Released.BaseUnits);
            raw.sqlite3_bind_int64(insert, 5, toStore(t.Start));
            SqliteStatements.Step(db, insert);
        }
    }

    private static async Task WriteAsync(NpgsqlConnection pg, NpgsqlTransaction tx, VestingChanges changes, CancellationToken ct)
    {
        if (changes.Removed.Count > 0)
        {
            await using var delete = new NpgsqlCommand(
                "DELETE FROM vesting_tranches AS t USING unnest(@owners, @epochs) AS d(owner, epoch) WHERE t.\"Owner\" = d.owner AND t.\"Epoch\" = d.epoch", pg, tx);
            delete.Parameters.Add(new NpgsqlParameter("owners", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = changes.Removed.Select(r => r.Owner.Value).ToArray() });
            delete.Parameters.Add(new NpgsqlParameter("epochs", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = changes.Removed.Select(r => r.Epoch).ToArray() });
            await delete.ExecuteNonQueryAsync(ct);
        }

        if (changes.Updated.Count > 0)
        {
            await using var update = new NpgsqlCommand(
                "UPDATE vesting_tranches AS t SET \"Amount\" = u.amount, \"Released\" = u.released FROM unnest(@owners, @epochs, @amounts, @released) " +
                "AS u(owner, epoch, amount, released) WHERE t.\"Owner\" = u.owner AND t.\"Epoch\" = u.epoch", pg, tx);
            update.Parameters.Add(new NpgsqlParameter("owners", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = changes.Updated.Select(t => t.Owner.Value).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("epochs", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = changes.Updated.Select(t => t.Epoch).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("amounts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = changes.Updated.Select(t => t.Amount.BaseUnits).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("released", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = changes.Updated.Select(t => t.Released.BaseUnits).ToArray() });
            await update.ExecuteNonQueryAsync(ct);
        }

        if (changes.Inserted.Count == 0)
            return;
        await using var copy = await pg.BeginBinaryImportAsync(
            "COPY vesting_tranches (\"Owner\", \"Epoch\", \"Amount\", \"Released\", \"Start\") FROM STDIN (FORMAT BINARY)", ct);
        foreach (var t in changes.Inserted)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(t.Owner.Value, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(t.Epoch, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(t.Amount.BaseUnits, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(t.Released.BaseUnits, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(t.Start, NpgsqlDbType.TimestampTz, ct);
        }

        await copy.CompleteAsync(ct);
    }
}

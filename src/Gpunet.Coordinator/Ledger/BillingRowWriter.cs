using System.Data.Common;
using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using NpgsqlTypes;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Writes the rows a settlement changes besides the ledger's, in the settlement's transaction: the leases'
/// billing state (charged seconds, the hold, the closing epoch) and the vesting tranches.</summary>
/// <remarks>One prepared statement per row on SQLite (in-process, so a row costs microseconds), one statement over
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
                "UPDATE lease_billing AS b SET \"ChargedSeconds\" = u.charged, \"HoldId\" = u.hold, \"HoldAmount\" = u.amount, \"ClosedEpoch\" = u.closed " +
                "FROM unnest(@ids, @charged, @holds, @amounts, @closed) AS u(id, charged, hold, amount, closed) WHERE b.\"LeaseId\" = u.id",
                pg, (NpgsqlTransaction)tx);
            update.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.LeaseId).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("charged", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => r.ChargedSeconds).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("holds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => (object?)r.HoldId ?? DBNull.Value).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("amounts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => r.HoldAmount).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("closed", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => (object?)r.ClosedEpoch ?? DBNull.Value).ToArray() });
            await update.ExecuteNonQueryAsync(ct);
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "UPDATE lease_billing SET \"ChargedSeconds\" = @c, \"HoldId\" = @h, \"HoldAmount\" = @a, \"ClosedEpoch\" = @e WHERE \"LeaseId\" = @i";
        var (c, h, a, e, i) = (Add(command, "@c"), Add(command, "@h"), Add(command, "@a"), Add(command, "@e"), Add(command, "@i"));
        await command.PrepareAsync(ct);
        foreach (var r in rows)
        {
            c.Value = r.ChargedSeconds;
            h.Value = (object?)r.HoldId ?? DBNull.Value;
            a.Value = r.HoldAmount;
            e.Value = (object?)r.ClosedEpoch ?? DBNull.Value;
            i.Value = r.LeaseId;
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Inserts the vesting tranches after a settlement (the table was emptied in the same transaction).</summary>
    public static async Task InsertTranchesAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<VestingTrancheRecord> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
            return;
        if (connection is NpgsqlConnection pg)
        {
            await using var copy = await pg.BeginBinaryImportAsync(
                "COPY vesting_tranches (\"Owner\", \"Epoch\", \"Amount\", \"Released\", \"Start\") FROM STDIN (FORMAT BINARY)", ct);
            foreach (var r in rows)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(r.Owner, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(r.Epoch, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(r.Amount, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(r.Released, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(r.Start, NpgsqlDbType.TimestampTz, ct);
            }

            await copy.CompleteAsync(ct);
            return;
        }

        // The same encoding of times as the store's model uses on SQLite (GpunetDb: UTC ticks).
        var toStore = new DateTimeOffsetToBinaryConverter().ConvertToProviderExpression.Compile();
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "INSERT INTO vesting_tranches (\"Owner\", \"Epoch\", \"Amount\", \"Released\", \"Start\") VALUES (@o, @e, @a, @r, @s)";
        var (o, e, a, rel, st) = (Add(command, "@o"), Add(command, "@e"), Add(command, "@a"), Add(command, "@r"), Add(command, "@s"));
        await command.PrepareAsync(ct);
        foreach (var r in rows)
        {
            o.Value = r.Owner;
            e.Value = r.Epoch;
            a.Value = r.Amount;
            rel.Value = r.Released;
            st.Value = toStore(r.Start);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static DbParameter Add(DbCommand command, string name)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        command.Parameters.Add(p);
        return p;
    }
}

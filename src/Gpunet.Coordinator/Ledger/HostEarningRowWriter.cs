using System.Data.Common;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Npgsql;
using NpgsqlTypes;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Writes a settlement's <see cref="HostEarning"/> rows in its transaction: one prepared statement per row on
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

        await using var db = GpunetDb.On(connection, tx);
        using var insert = new SqliteRowInserter<HostEarningRecord>(db);
        foreach (var e in earnings)
        {
            insert.Insert(new HostEarningRecord
            {
                HostId = e.Host.Value, Epoch = epoch, Operator = e.Operator.Value, Capacity = e.Capacity.BaseUnits, Delivery = e.Delivery.BaseUnits,
                Fees = e.Fees.BaseUnits, Slashed = e.Slashed.BaseUnits, Credited = e.Credited.BaseUnits,
            });
        }
    }
}

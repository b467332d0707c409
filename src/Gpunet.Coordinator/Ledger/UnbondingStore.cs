using System.Data.Common;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Writes unbonding entries inside the ledger's transaction.</summary>
internal static class UnbondingStore
{
    public static async Task InsertAsync(
        DbConnection connection, DbTransaction tx, TransferId id, Address owner, string hostId, TokenAmount amount, DateTimeOffset createdAt, DateTimeOffset releaseAt, CancellationToken ct)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO ledger_unbonding (\"TransferId\", \"Owner\", \"HostId\", \"Amount\", \"CreatedAt\", \"ReleaseAt\") " +
            "VALUES (@id, @owner, @host, @amount, @created, @release) ON CONFLICT DO NOTHING";
        var sqlite = connection is not Npgsql.NpgsqlConnection;
        Add(insert, "@id", id.ToString());
        Add(insert, "@owner", owner.Value);
        Add(insert, "@host", hostId);
        Add(insert, "@amount", amount.BaseUnits);
        Add(insert, "@created", StoreTime(createdAt, sqlite));
        Add(insert, "@release", StoreTime(releaseAt, sqlite));
        await insert.ExecuteNonQueryAsync(ct);
    }

    private static readonly DateTimeOffsetToBinaryConverter SqliteTime = new();

    /// <summary>A time as the store keeps it: EF's binary form on SQLite (see <c>GpunetDb</c>), UTC timestamptz on PostgreSQL.</summary>
    public static object StoreTime(DateTimeOffset at, bool sqlite) => sqlite ? SqliteTime.ConvertToProvider(at)! : at.ToUniversalTime();

    private static void Add(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}

using System.Data.Common;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Hosts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Gpunet.Coordinator.Ledger;

/// <summary>The large reads of an epoch's settlement (usage, host transitions, open leases, hosts and their GPUs) as
/// plain SQL through the connection's own data reader: no change tracking and no materialising by EF Core.</summary>
/// <remarks>EF Core cost about twice what the database itself spends on these 300,000 rows (measured on the bench's
/// epoch of 100,000 hosts: 1.2 s of CPU through EF, about 0.55 s of it in SQLite). Values are read as the store's model
/// stores them (<see cref="GpunetDb"/>): on SQLite, times as UTC ticks (<see cref="DateTimeOffsetToBinaryConverter"/>)
/// and decimals as doubles; on PostgreSQL, <c>timestamptz</c> and <c>numeric</c>.</remarks>
internal sealed class EpochRowReader
{
    private static readonly Func<DateTimeOffset, long> ToTicks = new DateTimeOffsetToBinaryConverter().ConvertToProviderExpression.Compile();
    private static readonly Func<long, DateTimeOffset> FromTicks = new DateTimeOffsetToBinaryConverter().ConvertFromProviderExpression.Compile();

    private readonly DbConnection _connection;
    private readonly bool _sqlite;

    private EpochRowReader(DbConnection connection, bool sqlite) => (_connection, _sqlite) = (connection, sqlite);

    /// <summary>A reader over <paramref name="db"/>'s connection, opened.</summary>
    public static async Task<EpochRowReader> OpenAsync(GpunetDb db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.OpenConnectionAsync(ct);
        return new EpochRowReader(db.Database.GetDbConnection(), db.Database.IsSqlite());
    }

    /// <summary>Billed milliseconds per lease and GPU-seconds served per host, of the usage no epoch took that was received before <paramref name="end"/>.</summary>
    public async Task<(Dictionary<string, long> BilledMs, Dictionary<string, long> ServedSeconds)> UsageAsync(DateTimeOffset end, CancellationToken ct)
    {
        var billed = new Dictionary<string, long>(StringComparer.Ordinal);
        var served = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var command = Command(
            "SELECT \"LeaseId\", \"HostId\", \"BilledMs\", \"Gpus\", \"GpuMilli\" FROM lease_usage WHERE \"Epoch\" IS NULL AND \"ReceivedAt\" < @end", end);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var ms = reader.GetInt64(2);
            Add(billed, reader.GetString(0), ms);
            // GPU-milliseconds, each row's share of a GPU rounded down as the store's sum did it.
            Add(served, reader.GetString(1), ms * reader.GetInt32(3) * reader.GetInt32(4) / 1000);
        }

        foreach (var host in served.Keys)
            served[host] /= 1000;
        return (billed, served);
    }

    /// <summary>Every host state change before <paramref name="end"/>, ordered by host, then time; a state this version
    /// does not know is not Ready.</summary>
    public async Task<List<(string HostId, HostState To, DateTimeOffset At)>> TransitionsAsync(DateTimeOffset end, CancellationToken ct)
    {
        var list = new List<(string, HostState, DateTimeOffset)>();
        var states = new Dictionary<string, HostState>(StringComparer.Ordinal);
        await using var command = Command("SELECT \"HostId\", \"To\", \"At\" FROM host_transitions WHERE \"At\" < @end ORDER BY \"HostId\", \"At\"", end);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var to = reader.GetString(1);
            if (!states.TryGetValue(to, out var state))
                states[to] = state = Enum.TryParse<HostState>(to, out var known) ? known : HostState.Pending;
            list.Add((reader.GetString(0), state, Time(reader, 2)));
        }

        return list;
    }

    /// <summary>Leases whose billing is not closed, with what settlement needs of the lease and its host.</summary>
    public async Task<List<OpenLeaseBilling>> OpenLeasesAsync(CancellationToken ct)
    {
        var list = new List<OpenLeaseBilling>();
        await using var command = Command(
            "SELECT b.\"LeaseId\", b.\"Customer\", b.\"Kind\", b.\"UsdPerToken\", b.\"MaxUsdPerGpuHour\", b.\"Gpus\", b.\"GpuMilli\", b.\"TermSeconds\", " +
            "b.\"ChargedSeconds\", b.\"CarriedMs\", b.\"HoldId\", b.\"HoldAmount\", l.\"EndReason\", l.\"EndedAt\", l.\"HostId\", l.\"PriceUsdPerGpuHour\", h.\"Address\" " +
            "FROM lease_billing AS b JOIN leases AS l ON b.\"LeaseId\" = l.\"Id\" LEFT JOIN hosts AS h ON l.\"HostId\" = h.\"Id\" WHERE b.\"ClosedEpoch\" IS NULL");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var billing = new LeaseBillingRecord
            {
                LeaseId = reader.GetString(0), Customer = reader.GetString(1), Kind = reader.GetString(2), UsdPerToken = Decimal(reader, 3),
                MaxUsdPerGpuHour = Decimal(reader, 4), Gpus = reader.GetInt32(5), GpuMilli = reader.GetInt32(6), TermSeconds = reader.GetInt64(7),
                ChargedSeconds = reader.GetInt64(8), CarriedMs = reader.GetInt64(9), HoldId = reader.IsDBNull(10) ? null : reader.GetString(10),
                HoldAmount = reader.GetInt64(11),
            };
            list.Add(new OpenLeaseBilling(billing, reader.IsDBNull(12) ? null : reader.GetString(12), reader.IsDBNull(13) ? null : Time(reader, 13),
                reader.IsDBNull(14) ? null : reader.GetString(14), Decimal(reader, 15), reader.IsDBNull(16) ? null : reader.GetString(16)));
        }

        return list;
    }

    /// <summary>Every registered container, ordered by id, with its GPUs counted per model by the store (a model's K is
    /// what settlement needs, not each GPU).</summary>
    public async Task<List<EpochHost>> HostsAsync(CancellationToken ct)
    {
        var models = new Dictionary<string, List<(string, int)>>(StringComparer.Ordinal);
        await using (var count = Command("SELECT \"HostId\", \"Model\", COUNT(*) FROM host_gpus GROUP BY \"HostId\", \"Model\""))
        await using (var gpus = await count.ExecuteReaderAsync(ct))
        {
            while (await gpus.ReadAsync(ct))
            {
                ref var list = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(models, gpus.GetString(0), out _);
                (list ??= new List<(string, int)>(1)).Add((gpus.GetString(1), (int)gpus.GetInt64(2)));
            }
        }

        var hosts = new List<EpochHost>();
        await using var command = Command("SELECT \"Id\", \"Address\" FROM hosts ORDER BY \"Id\"");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetString(0);
            hosts.Add(new EpochHost(id, reader.GetString(1), models.GetValueOrDefault(id) ?? []));
        }

        return hosts;
    }

    private static void Add(Dictionary<string, long> sums, string key, long value) =>
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(sums, key, out _) += value;

    // A command to read with (disposed after its reader: SQLite's statement lives in the command).
    private DbCommand Command(string sql, DateTimeOffset? end = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        if (end is { } at)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@end";
            p.Value = _sqlite ? ToTicks(at) : at.ToUniversalTime();
            command.Parameters.Add(p);
        }

        return command;
    }

    private DateTimeOffset Time(DbDataReader reader, int i) => _sqlite ? FromTicks(reader.GetInt64(i)) : reader.GetFieldValue<DateTimeOffset>(i);

    private decimal Decimal(DbDataReader reader, int i) => _sqlite ? (decimal)reader.GetDouble(i) : reader.GetDecimal(i);
}

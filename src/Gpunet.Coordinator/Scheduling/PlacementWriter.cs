using System.Data.Common;
using System.Globalization;
using System.Text;
using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Gpunet.Coordinator.Scheduling;

/// <summary>Commits placements in batches, one transaction per batch: each host's capacity row is updated once
/// (checked against the version its first placement expected, written with its last placement's values) and each
/// placement's allocation row is inserted.</summary>
/// <remarks>Callers await their own placement. A batch that fails (a version conflict, or anything else) is rolled
/// back and retried placement by placement, so only the conflicting ones fail, with <see cref="PlacementConflict"/>.</remarks>
internal sealed class PlacementWriter : IAsyncDisposable
{
    // PostgreSQL takes at most 65,535 parameters in one statement: 7 per placement.
    private const int MaxBatch = 2048;
    private readonly IDbContextFactory<GpunetDb> _dbFactory;
    private readonly BatchWriter<PlacementCommit, PlacementResult> _writer;

    public PlacementWriter(IDbContextFactory<GpunetDb> dbFactory)
    {
        _dbFactory = dbFactory;
        _writer = new(
            MaxBatch,
            SaveAsync,
            c => new PlacementCommitted(c.AllocationId, c.HostId, c.ExpectedVersion + 1),
            (c, e) => e is DbUpdateConcurrencyException ? new PlacementConflict(c.AllocationId, c.HostId) : null);
    }

    /// <summary>Queues a placement; completes when its batch is committed or it is known to conflict. Not
    /// cancellable: once queued, the caller must learn the outcome so memory and store agree.</summary>
    public Task<PlacementResult> CommitAsync(PlacementCommit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return _writer.EnqueueAsync(commit);
    }

    /// <summary>Commits <paramref name="commits"/> now, on the caller, in one transaction (retried one by one when it
    /// fails, as a queued batch is): for the market's loop, which gathers its placements and releases itself and would
    /// otherwise wait for this writer's loop to be scheduled and then to be scheduled again.</summary>
    /// <returns>Each commit's outcome, completed (<see cref="PlacementCommitted"/>, <see cref="PlacementConflict"/>, or
    /// faulted), in the order of <paramref name="commits"/>.</returns>
    public Task<IReadOnlyList<Task<PlacementResult>>> CommitNowAsync(IReadOnlyList<PlacementCommit> commits) => _writer.SaveNowAsync(commits);

    private async Task SaveAsync(IReadOnlyList<PlacementCommit> batch)
    {
        // One row per host: checked against the version its first placement expected, written with its last
        // placement's values. Placements on one host chain versions; a gap means the caller decided against another state.
        var hosts = new Dictionary<string, (long Expected, PlacementCommit Last)>(StringComparer.Ordinal);
        foreach (var c in batch)
        {
            if (!hosts.TryGetValue(c.HostId, out var h))
                hosts.Add(c.HostId, (c.ExpectedVersion, c));
            else if (h.Last.ExpectedVersion + 1 != c.ExpectedVersion)
                throw new DbUpdateConcurrencyException($"host {c.HostId}: placement expects version {c.ExpectedVersion}, the batch has {h.Last.ExpectedVersion + 1}");
            else
                hosts[c.HostId] = (h.Expected, c);
        }

        // Plain batched SQL rather than tracked entities: two statements per batch, whatever its size.
        await using var db = await _dbFactory.CreateDbContextAsync();
        var createdAt = db.Model.FindEntityType(typeof(AllocationRecord))!.FindProperty(nameof(AllocationRecord.CreatedAt))!.GetTypeMapping().Converter;
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        await using var tx = await connection.BeginTransactionAsync();

        // A host is updated only if it is still at the version its first placement expected.
        var updated = db.Database.IsSqlite() ? await UpdateEachAsync(connection, tx, hosts) : await UpdateAllAsync(connection, tx, hosts);
        if (updated != hosts.Count)
            throw new DbUpdateConcurrencyException($"{hosts.Count - updated} of {hosts.Count} hosts were not at the expected version");

        var placed = batch.Where(c => c.Allocation is not null).Select(c => c.Allocation!).ToList();
        if (placed.Count > 0 && db.Database.IsSqlite())
            await InsertEachAsync(connection, tx, placed, createdAt);
        else if (placed.Count > 0)
            await InsertAllAsync(connection, tx, placed, createdAt);
        await DeleteAsync(connection, tx, batch.Where(c => c.ReleasedAllocationId is not null).Select(c => c.ReleasedAllocationId!).ToList());
        await tx.CommitAsync();
    }

    /// <summary>PostgreSQL: one statement for every host of the batch, one round trip.</summary>
    private static async Task<int> UpdateAllAsync(DbConnection connection, DbTransaction tx, Dictionary<string, (long Expected, PlacementCommit Last)> hosts)
    {
        await using var update = connection.CreateCommand();
        update.Transaction = tx;
        var sql = new StringBuilder("WITH v(h, c, m, g, e, n) AS (VALUES ");
        var i = 0;
        foreach (var (hostId, (expected, last)) in hosts)
        {
            sql.Append(i > 0 ? ", " : "").Append(CultureInfo.InvariantCulture, $"(@h{i}, @c{i}, @m{i}, @g{i}, @e{i}, @n{i})");
            Add(update, $"@h{i}", hostId);
            Add(update, $"@c{i}", last.FreeCpuMilli);
            Add(update, $"@m{i}", last.FreeMemoryMib);
            Add(update, $"@g{i}", last.FreeGpuMilli);
            Add(update, $"@e{i}", expected);
            Add(update, $"@n{i}", last.ExpectedVersion + 1);
            i++;
        }

        sql.Append(") UPDATE host_capacity SET \"FreeCpuMilli\" = v.c, \"FreeMemoryMib\" = v.m, \"FreeGpuMilli\" = v.g, \"Version\" = v.n")
            .Append(" FROM v WHERE host_capacity.\"HostId\" = v.h AND host_capacity.\"Version\" = v.e");
        update.CommandText = sql.ToString();
        return await update.ExecuteNonQueryAsync();
    }

    /// <summary>SQLite: in-process, so one prepared statement run per host is cheapest (its planner scans the table
    /// for an <c>UPDATE ... FROM</c> a list of values).</summary>
    private static async Task<int> UpdateEachAsync(DbConnection connection, DbTransaction tx, Dictionary<string, (long Expected, PlacementCommit Last)> hosts)
    {
        await using var update = connection.CreateCommand();
        update.Transaction = tx;
        update.CommandText = "UPDATE host_capacity SET \"FreeCpuMilli\" = @c, \"FreeMemoryMib\" = @m, \"FreeGpuMilli\" = @g, \"Version\" = @n WHERE \"HostId\" = @h AND \"Version\" = @e";
        var h = Add(update, "@h", "");
        var c = Add(update, "@c", 0);
        var m = Add(update, "@m", 0);
        var g = Add(update, "@g", "");
        var e = Add(update, "@e", 0L);
        var n = Add(update, "@n", 0L);
        await update.PrepareAsync();
        var updated = 0;
        foreach (var (hostId, (expected, last)) in hosts)
        {
            h.Value = hostId;
            c.Value = last.FreeCpuMilli;
            m.Value = last.FreeMemoryMib;
            g.Value = last.FreeGpuMilli;
            e.Value = expected;
            n.Value = last.ExpectedVersion + 1;
            updated += await update.ExecuteNonQueryAsync();
        }

        return updated;
    }

    private const string InsertInto = "INSERT INTO allocations (\"Id\", \"HostId\", \"GpuIndices\", \"GpuMilliEach\", \"CpuMilli\", \"MemoryMib\", \"CreatedAt\") VALUES ";

    /// <summary>PostgreSQL: one multi-row insert, one round trip.</summary>
    private static async Task InsertAllAsync(DbConnection connection, DbTransaction tx, List<AllocationRecord> batch, ValueConverter? createdAt)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        var sql = new StringBuilder(InsertInto);
        for (var i = 0; i < batch.Count; i++)
        {
            var a = batch[i];
            sql.Append(i > 0 ? ", " : "").Append(CultureInfo.InvariantCulture, $"(@a{i}, @h{i}, @g{i}, @e{i}, @c{i}, @m{i}, @t{i})");
            Add(insert, $"@a{i}", a.Id);
            Add(insert, $"@h{i}", a.HostId);
            Add(insert, $"@g{i}", a.GpuIndices);
            Add(insert, $"@e{i}", a.GpuMilliEach);
            Add(insert, $"@c{i}", a.CpuMilli);
            Add(insert, $"@m{i}", a.MemoryMib);
            Add(insert, $"@t{i}", createdAt is null ? a.CreatedAt : createdAt.ConvertToProvider(a.CreatedAt)!);
        }

        insert.CommandText = sql.ToString();
        await insert.ExecuteNonQueryAsync();
    }

    /// <summary>SQLite: one prepared statement run per row (it looks bound names up one by one, so a statement with
    /// thousands of parameters costs quadratic time).</summary>
    private static async Task InsertEachAsync(DbConnection connection, DbTransaction tx, List<AllocationRecord> batch, ValueConverter? createdAt)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = InsertInto + "(@a, @h, @g, @e, @c, @m, @t)";
        var id = Add(insert, "@a", "");
        var host = Add(insert, "@h", "");
        var gpus = Add(insert, "@g", "");
        var each = Add(insert, "@e", 0);
        var cpu = Add(insert, "@c", 0);
        var mem = Add(insert, "@m", 0);
        var at = Add(insert, "@t", 0L);
        await insert.PrepareAsync();
        foreach (var a in batch)
        {
            id.Value = a.Id;
            host.Value = a.HostId;
            gpus.Value = a.GpuIndices;
            each.Value = a.GpuMilliEach;
            cpu.Value = a.CpuMilli;
            mem.Value = a.MemoryMib;
            at.Value = createdAt is null ? a.CreatedAt : createdAt.ConvertToProvider(a.CreatedAt)!;
            await insert.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Deletes released allocations: one prepared statement run per row (a release is rare next to placements).</summary>
    private static async Task DeleteAsync(DbConnection connection, DbTransaction tx, List<string> released)
    {
        if (released.Count == 0)
            return;
        await using var delete = connection.CreateCommand();
        delete.Transaction = tx;
        delete.CommandText = "DELETE FROM allocations WHERE \"Id\" = @a";
        var id = Add(delete, "@a", "");
        await delete.PrepareAsync();
        foreach (var a in released)
        {
            id.Value = a;
            if (await delete.ExecuteNonQueryAsync() != 1)
                throw new DbUpdateConcurrencyException($"allocation {a} was already released");
        }
    }

    private static DbParameter Add(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
        return p;
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}

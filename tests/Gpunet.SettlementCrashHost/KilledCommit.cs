using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Gpunet.SettlementCrashHost;

/// <summary>Kills the process inside the <paramref name="nth"/> transaction that <paramref name="matches"/> (a store write
/// the coordinator makes through EF Core), after its writes and before its commit: like a power cut at that moment.
/// Prints <paramref name="marker"/> first.</summary>
internal sealed class KilledCommit(string marker, string what, int nth, Func<DbContext, DbTransaction, CancellationToken, Task<bool>> matches)
    : DbTransactionInterceptor
{
    private int _seen;

    public override async ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db && await matches(db, transaction, cancellationToken) && Interlocked.Increment(ref _seen) == nth)
            await KillAsync(marker, $"{what} (number {nth})");
        return result;
    }

    /// <summary>A lease moving from Pending to Starting: the placement's lease step (its capacity and allocation rows
    /// are committed just before, in their own transaction).</summary>
    public static Task<bool> Placement(DbContext db, DbTransaction tx, CancellationToken ct) =>
        AddsAsync(db, tx, "SELECT COUNT(*) FROM lease_events WHERE \"State\" = 'Starting'", ct);

    /// <summary>A lease ended because a compliance rule now forbids it (a policy re-evaluation ends them one by one).</summary>
    public static Task<bool> ComplianceEnd(DbContext db, DbTransaction tx, CancellationToken ct) =>
        AddsAsync(db, tx, "SELECT COUNT(*) FROM leases WHERE \"EndReason\" = 'compliance'", ct);

    // Whether the transaction, about to commit, raises the count: read inside it and, on a connection of its own, outside
    // it. The store's rows, not EF's change tracker: the market writes lease moves on SQLite through prepared statements.
    private static async Task<bool> AddsAsync(DbContext db, DbTransaction tx, string count, CancellationToken ct)
    {
        var inside = await CountAsync(tx.Connection!, tx, count, ct);
        if (inside == 0)
            return false;
        await using var other = db.Database.IsNpgsql()
            ? (DbConnection)new Npgsql.NpgsqlConnection(db.Database.GetConnectionString())
            : new Microsoft.Data.Sqlite.SqliteConnection(db.Database.GetConnectionString());
        await other.OpenAsync(ct);
        return inside > await CountAsync(other, null, count, ct);
    }

    private static async Task<long> CountAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Prints <paramref name="marker"/> with <paramref name="inside"/> and kills the process (SIGKILL).</summary>
    public static async Task KillAsync(string marker, string inside)
    {
        // Straight to stderr: the logger's queue would die with the process.
        await Console.Error.WriteLineAsync($"{marker}: killing the process inside {inside}, before its commit");
        await Console.Error.FlushAsync();
        using var self = Process.GetCurrentProcess();
        self.Kill(); // SIGKILL: no clean-up, no commit
    }
}

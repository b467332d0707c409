using Npgsql;

namespace Gpunet.Cli.Bench;

/// <summary>A database of a benchmark's own on the PostgreSQL server a connection string names: created empty, dropped
/// afterwards, so the benchmark never writes into the store it was pointed at.</summary>
internal static class ScratchDatabase
{
    public static async Task CreateAsync(string server, string name, CancellationToken ct) =>
        await ExecuteAsync(server, $"CREATE DATABASE \"{name}\"", ct);

    public static async Task DropAsync(string server, string name, CancellationToken ct)
    {
        NpgsqlConnection.ClearAllPools();
        // Not WITH (FORCE): on PostgreSQL 15 that refuses (42501) when an autovacuum worker is in the database, which a
        // role without pg_signal_backend may not terminate. The benchmark's own sessions (pgbench's, a pool's) are ended
        // here; a plain DROP then stops autovacuum itself and waits for it.
        await ExecuteAsync(server, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name.Replace("'", "''", StringComparison.Ordinal)}' " +
            "AND usename = current_user AND pid <> pg_backend_pid()", ct);
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{name}\"", ct);
    }

    // On the server's maintenance database: the database the connection string names may not exist yet (a coordinator
    // creates its own on first start).
    private static async Task ExecuteAsync(string server, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}

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
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", ct);
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

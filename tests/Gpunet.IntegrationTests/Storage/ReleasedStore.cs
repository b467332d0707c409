using System.Data.Common;
using System.Globalization;
using Gpunet.Coordinator.Storage;
using Gpunet.IntegrationTests.Api;
using Gpunet.IntegrationTests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Gpunet.IntegrationTests.Storage;

/// <summary>Stores made by the last released schema (version 7, before migrations), from the fixtures in
/// <c>Storage/Fixtures</c>, and what a test compares across an upgrade: every table's rows and the schema.</summary>
internal static class ReleasedStore
{
    private static string Fixtures => Path.Combine(OpenApiClientFactAttribute.RepositoryRoot, "tests", "Gpunet.IntegrationTests", "Storage", "Fixtures");

    /// <summary>A copy of the released store on <paramref name="provider"/>: the SQLite file copied into
    /// <paramref name="dataDir"/>, or the PostgreSQL dump loaded into a new database. Returns its <c>--db</c>.</summary>
    public static async Task<string> CopyAsync(string provider, string dataDir)
    {
        var db = TestStores.NewDatabase(provider, dataDir);
        if (provider == "sqlite")
        {
            File.Copy(Path.Combine(Fixtures, "released-v7.sqlite"), db);
            return db;
        }

        var target = new NpgsqlConnectionStringBuilder(db);
        await using (var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db) { Database = "postgres", Pooling = false }.ConnectionString))
        {
            await server.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{target.Database}\"", server);
            await create.ExecuteNonQueryAsync();
        }

        // pg_dump's script, less its psql-only meta-commands (\restrict, \unrestrict).
        var script = string.Join('\n', File.ReadLines(Path.Combine(Fixtures, "released-v7.postgres.sql")).Where(l => !l.StartsWith('\\')));
        await using var store = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db) { Pooling = false }.ConnectionString);
        await store.OpenAsync();
        await using var load = new NpgsqlCommand(script, store);
        await load.ExecuteNonQueryAsync();
        return db;
    }

    /// <summary>Every row of every Gpunet table (not EF's own), one line per row, sorted, by table.</summary>
    public static async Task<SortedDictionary<string, List<string>>> RowsAsync(string db)
    {
        await using var connection = Open(db);
        await connection.OpenAsync();
        var rows = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var table in await ListAsync(connection, IsSqlite(connection)
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_EF%' ESCAPE '\\'"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE '\\_\\_EF%'"))
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            var lines = new List<string>();
            while (await reader.ReadAsync())
            {
                lines.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i =>
                    reader.GetName(i) + "=" + Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
            }

            lines.Sort(StringComparer.Ordinal);
            rows[table] = lines;
        }

        return rows;
    }

    /// <summary>The schema as the database describes it (tables, columns, keys, indexes, constraints), less EF's own
    /// tables, one sorted line per item.</summary>
    public static async Task<List<string>> SchemaAsync(string db)
    {
        await using var connection = Open(db);
        await connection.OpenAsync();
        var items = IsSqlite(connection)
            ? await ListAsync(connection,
                "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master " +
                "WHERE name NOT LIKE 'sqlite_%' AND tbl_name NOT LIKE '\\_\\_EF%' ESCAPE '\\'")
            : [
                .. await ListAsync(connection,
                    "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || coalesce(character_maximum_length::text, '') || ' ' || " +
                    "coalesce(numeric_precision::text, '') || ',' || coalesce(numeric_scale::text, '') || ' null:' || is_nullable || ' identity:' || " +
                    "is_identity || coalesce(identity_generation, '') || ' default:' || coalesce(column_default, '') " +
                    "FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '\\_\\_EF%'"),
                .. await ListAsync(connection,
                    "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE '\\_\\_EF%'"),
                .. await ListAsync(connection,
                    "SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint " +
                    "WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT LIKE '%\\_\\_EF%'"),
            ];
        items.Sort(StringComparer.Ordinal);
        return items;
    }

    /// <summary>The ids in the store's migrations history, oldest first.</summary>
    public static async Task<List<string>> AppliedMigrationsAsync(string db)
    {
        await using var connection = Open(db);
        await connection.OpenAsync();
        return await ListAsync(connection, "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY \"MigrationId\"");
    }

    /// <summary>Runs one statement on the store (a test's own change to it).</summary>
    public static async Task ExecuteAsync(string db, string sql)
    {
        await using var connection = Open(db);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static DbConnection Open(string db)
    {
        var store = StoreConnection.Parse(db);
        return store.Provider == StoreProvider.Sqlite
            ? new SqliteConnection(new SqliteConnectionStringBuilder(store.ConnectionString) { Pooling = false }.ConnectionString)
            : new NpgsqlConnection(new NpgsqlConnectionStringBuilder(store.ConnectionString) { Pooling = false }.ConnectionString);
    }

    private static bool IsSqlite(DbConnection connection) => connection is SqliteConnection;

    private static async Task<List<string>> ListAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
            values.Add(reader.GetString(0));
        return values;
    }
}

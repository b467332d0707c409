using Gpunet.Coordinator.Storage;
using Npgsql;

namespace Gpunet.IntegrationTests.Support;

/// <summary>The stores every storage test runs against: SQLite always, PostgreSQL where <c>GPUNET_TEST_POSTGRES</c>
/// names a server (<c>.ci/run</c> starts one; under CI it is required).</summary>
internal static class TestStores
{
    public const string Variable = "GPUNET_TEST_POSTGRES";

    /// <summary>The prefix of every database the tests make; <c>.ci/run</c> drops what a run leaves behind.</summary>
    private const string Prefix = "gpunet_test_";

    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _template;
    private static string? _sqliteTemplate;

    public static TheoryData<string> Providers
    {
        get
        {
            var data = new TheoryData<string> { "sqlite" };
            if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)) || Environment.GetEnvironmentVariable("CI") == "true")
                data.Add("postgres");
            return data;
        }
    }

    /// <summary>A fresh, empty store of the given kind: an SQLite file, or a PostgreSQL database that does not exist
    /// yet. For the tests of making and upgrading a schema.</summary>
    public static string NewDatabase(string provider, string dataDir)
    {
        if (provider == "sqlite")
            return Path.Combine(dataDir, "store.db");
        // Every test database has a pool of its own; idle connections are closed within seconds, not Npgsql's default 5
        // minutes, or a run's finished tests hold the server's connection slots (100 by default) until it refuses more.
        return new NpgsqlConnectionStringBuilder(Server)
        {
            Database = Prefix + Guid.NewGuid().ToString("N")[..12], ConnectionIdleLifetime = 2, ConnectionPruningInterval = 1,
        }.ConnectionString;
    }

    /// <summary>A new store of the given kind with this coordinator's schema and nothing else in it, as a coordinator
    /// would find it after migrating a fresh one: a copy of a template migrated once per test run (migrating costs a
    /// third of a second of CPU per PostgreSQL database and 0.1 to 0.3 s per SQLite file, and a run makes hundreds).
    /// Making and upgrading a schema is what <c>StoreMigrationTests</c> test, on <see cref="NewDatabase"/>.</summary>
    public static async Task<string> NewStoreAsync(string provider, string dataDir)
    {
        var db = NewDatabase(provider, dataDir);
        if (provider == "sqlite")
        {
            await CopySqliteTemplateAsync(db);
            return db;
        }

        var template = await TemplateAsync();
        await ExecuteAsync($"CREATE DATABASE \"{new NpgsqlConnectionStringBuilder(db).Database}\" TEMPLATE \"{template}\"");
        return db;
    }

    private static string Server => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } server
        ? server
        : throw new InvalidOperationException($"{Variable} is not set: .ci/run starts PostgreSQL and sets it (e.g. Host=127.0.0.1;Username=gpunet;Password=gpunet)");

    private static async Task<string> TemplateAsync()
    {
        await TemplateGate.WaitAsync();
        try
        {
            if (_template is not null)
                return _template;
            // No pooling: a database being copied must have no other session, idle pooled ones included.
            var db = new NpgsqlConnectionStringBuilder(NewDatabase("postgres", "")) { Pooling = false }.ConnectionString;
            await StoreSchema.EnsureAsync(new StoreConnection(StoreProvider.Postgres, db).CreateDbContextFactory(), CancellationToken.None);
            return _template = new NpgsqlConnectionStringBuilder(db).Database!;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    /// <summary>Puts a copy of the migrated SQLite template at <paramref name="file"/> unless a store is there already
    /// (a coordinator restarted on its data directory keeps its store) or its folder is not made yet (the coordinator makes
    /// both, owner-only). The coordinator narrows the copy to its owner at start.</summary>
    public static async Task CopySqliteTemplateAsync(string file)
    {
        if (File.Exists(file) || !Directory.Exists(Path.GetDirectoryName(file)))
            return;
        File.Copy(await SqliteTemplateAsync(), file);
    }

    private static async Task<string> SqliteTemplateAsync()
    {
        await TemplateGate.WaitAsync();
        try
        {
            if (_sqliteTemplate is not null)
                return _sqliteTemplate;
            var file = Path.Combine(Directory.CreateTempSubdirectory("gpunet-template-").FullName, "store.db");
            var store = StoreConnection.Parse(file);
            await StoreSchema.EnsureAsync(store, CancellationToken.None);
            // Closing the pooled connections checkpoints the write-ahead log into the file: the copy is the whole store.
            Microsoft.Data.Sqlite.SqliteConnection.ClearPool(new Microsoft.Data.Sqlite.SqliteConnection(store.ConnectionString));
            if (File.Exists(file + "-wal") && new FileInfo(file + "-wal").Length > 0)
                throw new InvalidOperationException($"the SQLite template {file} still has a write-ahead log after its connections closed");
            return _sqliteTemplate = file;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

using Gpunet.Coordinator.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gpunet.IntegrationTests.Storage;

/// <summary>What the coordinator's <c>--db</c> value selects.</summary>
public sealed class StoreConnectionTests
{
    [Theory]
    [InlineData("Host=127.0.0.1;Database=gpunet;Username=gpunet;Password=secret")]
    [InlineData("host=db.internal;port=5433;database=gpunet")]
    [InlineData("  Host=127.0.0.1;Database=gpunet  ")]
    [InlineData("Server=127.0.0.1;Database=gpunet")]
    public void Parse_PostgresConnectionString_Postgres(string value)
    {
        var c = StoreConnection.Parse(value);
        Assert.Equal(StoreProvider.Postgres, c.Provider);
        Assert.Equal(value.Trim(), c.ConnectionString);
    }

    [Fact]
    public void Parse_SqliteConnectionString_SqliteUnchanged()
    {
        var c = StoreConnection.Parse("Data Source=/tmp/gpunet-x.db;Cache=Shared");
        Assert.Equal(StoreProvider.Sqlite, c.Provider);
        Assert.Equal("Data Source=/tmp/gpunet-x.db;Cache=Shared", c.ConnectionString);
    }

    [Fact]
    public void Parse_PlainPath_SqliteAtAbsolutePathWithDirectoryCreated()
    {
        var root = Directory.CreateTempSubdirectory("gpunet-store-").FullName;
        try
        {
            var file = Path.Combine(root, "nested", "deeper", "gpunet.db");
            var c = StoreConnection.Parse(file);
            Assert.Equal(StoreProvider.Sqlite, c.Provider);
            Assert.Equal(file, new SqliteConnectionStringBuilder(c.ConnectionString).DataSource);
            Assert.True(Directory.Exists(Path.GetDirectoryName(file)));
            Assert.False(File.Exists(file)); // the store creates the file, not the parser
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Parse_RelativePath_AbsoluteDataSource()
    {
        var dir = "gpunet-store-" + Path.GetRandomFileName();
        try
        {
            var c = StoreConnection.Parse(Path.Combine(dir, "gpunet.db"));
            var source = new SqliteConnectionStringBuilder(c.ConnectionString).DataSource;
            Assert.True(Path.IsPathFullyQualified(source), source);
            Assert.Equal(Path.GetFullPath(Path.Combine(dir, "gpunet.db")), source);
            Assert.True(Directory.Exists(dir));
        }
        finally
        {
            if (Directory.Exists(dir))
                Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Parse_PathStartingWithPostgres_Sqlite()
    {
        // A data directory that happens to be called postgres-... is still an SQLite file path.
        var dir = "postgres-backup-" + Path.GetRandomFileName();
        try
        {
            var c = StoreConnection.Parse(Path.Combine(dir, "gpunet.db"));
            Assert.Equal(StoreProvider.Sqlite, c.Provider);
            Assert.Equal(Path.GetFullPath(Path.Combine(dir, "gpunet.db")), new SqliteConnectionStringBuilder(c.ConnectionString).DataSource);
        }
        finally
        {
            if (Directory.Exists(dir))
                Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("postgres://gpunet:secret@db/gpunet")]
    [InlineData("postgresql://db/gpunet")]
    public void Parse_PostgresUri_RefusedAskingForKeyValueForm(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => StoreConnection.Parse(value));
        Assert.Contains("key=value", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_Empty_Throws(string value)
    {
        Assert.Throws<ArgumentException>(() => StoreConnection.Parse(value));
    }

    [Theory]
    [InlineData("Host=db;Username=gpunet;Password=s3cr3t;Database=gpunet")]
    [InlineData("Host=db;Username=gpunet; password=s3cr3t")]
    [InlineData("Password=s3cr3t;Host=db")]
    [InlineData("Host=db;Pwd=s3cr3t")]
    public void Redacted_Postgres_NoPassword(string value)
    {
        var redacted = StoreConnection.Parse(value).Redacted;
        Assert.DoesNotContain("s3cr3t", redacted, StringComparison.Ordinal);
        Assert.Contains("Host=db", redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Pwd")]
    [InlineData("PSW")]
    public void Redacted_PasswordAliasNpgsqlReads_Removed(string key)
    {
        var value = $"Host=db;{key}=s3cr3t";
        Assert.Equal("s3cr3t", new NpgsqlConnectionStringBuilder(value).Password);
        Assert.Equal("Host=db", StoreConnection.Parse(value).Redacted);
    }

    [Fact]
    public void Redacted_Postgres_KeepsEverythingElse()
    {
        Assert.Equal(
            "Host=db;Username=gpunet;Database=gpunet",
            StoreConnection.Parse("Host=db;Username=gpunet;Password=s3cr3t;Database=gpunet").Redacted);
    }

    [Fact]
    public void Redacted_Sqlite_Unchanged()
    {
        var c = StoreConnection.Parse("Data Source=/tmp/gpunet-x.db");
        Assert.Equal(c.ConnectionString, c.Redacted);
    }

    [Fact]
    public async Task SqliteStore_EveryConnection_NormalSyncAndABusyTimeout()
    {
        // Per-connection settings: a connection at FULL sync fsyncs every commit, and one with no busy timeout meets
        // another writer by sleeping 150 ms in the driver instead of waiting in SQLite.
        var root = Directory.CreateTempSubdirectory("gpunet-store-").FullName;
        try
        {
            var store = StoreConnection.Parse(Path.Combine(root, "gpunet.db"));
            var factory = store.CreateDbContextFactory();
            for (var i = 0; i < 2; i++)
            {
                await using var db = await factory.CreateDbContextAsync();
                await db.Database.OpenConnectionAsync();
                var connection = db.Database.GetDbConnection();
                Assert.Equal(1L, await ScalarAsync(connection, "PRAGMA synchronous")); // NORMAL
                Assert.Equal(30_000L, await ScalarAsync(connection, "PRAGMA busy_timeout"));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<long> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Storage;

/// <summary>Turns the <c>--db</c> value into a provider and a connection string.</summary>
/// <remarks>A PostgreSQL connection string (<c>Host=...;Database=...</c>) selects PostgreSQL; anything else is an
/// SQLite file path or an SQLite connection string (<c>Data Source=...</c>).</remarks>
public sealed record StoreConnection(StoreProvider Provider, string ConnectionString)
{
    public static StoreConnection Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var v = value.Trim();
        if (v.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || v.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            // Npgsql reads key=value connection strings only; say so rather than fail later with a parse error.
            throw new ArgumentException("--db: write the PostgreSQL connection as key=value pairs, e.g. \"Host=db;Database=gpunet;Username=gpunet;Password=...\"");
        }

        // Npgsql takes Server= as a synonym of Host=.
        if (v.Contains("Host=", StringComparison.OrdinalIgnoreCase) || v.Contains("Server=", StringComparison.OrdinalIgnoreCase))
            return new StoreConnection(StoreProvider.Postgres, v);
        if (v.Contains("Data Source=", StringComparison.OrdinalIgnoreCase))
            return new StoreConnection(StoreProvider.Sqlite, v);
        var full = Path.GetFullPath(v);
        OwnerOnlyFiles.CreateFolder(Path.GetDirectoryName(full)!);
        return new StoreConnection(StoreProvider.Sqlite, new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString());
    }

    /// <summary>For an SQLite file store: creates the file empty and owner-only (0600) before SQLite would create it
    /// with the process's umask, and narrows one left readable by others. The store holds KYC documents.</summary>
    /// <remarks>SQLite gives the <c>-wal</c> and <c>-shm</c> files it creates the database file's permissions; ones
    /// left by an older version are narrowed here too. Nothing for PostgreSQL or an in-memory database.</remarks>
    public void CreateOwnerOnlyFile()
    {
        if (Provider != StoreProvider.Sqlite)
            return;
        var builder = new SqliteConnectionStringBuilder(ConnectionString);
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is not { Length: > 0 } source || source == ":memory:"
            || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            return;
        var file = Path.GetFullPath(source);
        OwnerOnlyFiles.CreateFolder(Path.GetDirectoryName(file)!);
        OwnerOnlyFiles.CreateFile(file);
        foreach (var suffix in (string[])["-wal", "-shm", "-journal"])
            OwnerOnlyFiles.Restrict(file + suffix);
    }

    /// <summary>Configures EF Core for this store.</summary>
    public void Configure(DbContextOptionsBuilder options)
    {
        if (Provider == StoreProvider.Postgres)
            options.UseNpgsql(ConnectionString);
        else
            options.UseSqlite(ConnectionString);
    }

    /// <summary>A context factory for this store, for code that runs outside the coordinator's service container
    /// (benchmarks, tests).</summary>
    internal IDbContextFactory<GpunetDb> CreateDbContextFactory()
    {
        var options = new DbContextOptionsBuilder<GpunetDb>();
        Configure(options);
        return new Microsoft.EntityFrameworkCore.Infrastructure.PooledDbContextFactory<GpunetDb>(options.Options);
    }

    /// <summary>The connection string with any password removed, for logs and banners.</summary>
    public string Redacted => Provider == StoreProvider.Postgres
        ? string.Join(';', ConnectionString.Split(';').Where(p => !IsPasswordKey(p.Split('=', 2)[0].Trim())))
        : ConnectionString;

    // Npgsql also reads the password under its aliases PWD and PSW.
    private static bool IsPasswordKey(string key) =>
        key.Equals("Password", StringComparison.OrdinalIgnoreCase)
        || key.Equals("Pwd", StringComparison.OrdinalIgnoreCase)
        || key.Equals("Psw", StringComparison.OrdinalIgnoreCase);
}

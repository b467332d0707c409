using System.Data.Common;
using System.Reflection;
using Gpunet.Coordinator.Storage.Migrations.Postgres;
using Gpunet.Coordinator.Storage.Migrations.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Gpunet.Coordinator.Storage;

/// <summary>Whether a store already has exactly the migrations this coordinator knows, read with one query and no
/// EF Core context.</summary>
/// <remarks>EF Core's own check (<c>GetAppliedMigrations</c>) needs a context, and a context's first service builds its
/// model, so asking it cost a coordinator a model build and a migrator on every restart. The migrations known here are
/// found the way EF Core finds them: the types of this assembly marked with the migrations context of the provider
/// and a migration id.</remarks>
internal static class MigrationHistory
{
    private static readonly Lazy<string[]> SqliteMigrations = new(() => Known(typeof(SqliteMigrationsDb)));
    private static readonly Lazy<string[]> PostgresMigrations = new(() => Known(typeof(PostgresMigrationsDb)));

    /// <summary>The migration ids of <paramref name="context"/>'s provider, in the order they run.</summary>
    internal static string[] Known(Type context) =>
    [
        .. typeof(MigrationHistory).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Migration)) && t.GetCustomAttribute<DbContextAttribute>()?.ContextType == context)
            .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id)
            .OfType<string>()
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>True when the store's history lists every known migration and nothing else; false when anything is
    /// to do or to refuse (no store, no history, a migration missing or unknown), which the full upgrade decides.</summary>
    public static async Task<bool> IsCurrentAsync(StoreConnection store, CancellationToken ct)
    {
        var known = store.Provider == StoreProvider.Postgres ? PostgresMigrations.Value : SqliteMigrations.Value;
        try
        {
            await using var connection = Open(store);
            if (connection is null)
                return false;
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\"";
            var applied = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                    applied.Add(reader.GetString(0));
            }

            return applied.Order(StringComparer.Ordinal).SequenceEqual(known, StringComparer.Ordinal);
        }
        catch (DbException)
        {
            // No database yet, no history table, no access: the full upgrade says what is wrong.
            return false;
        }
    }

    /// <summary>A connection that never creates the store: an SQLite file that does not exist yet is left to the
    /// upgrade, which makes it owner-only.</summary>
    private static DbConnection? Open(StoreConnection store)
    {
        if (store.Provider == StoreProvider.Postgres)
            return new NpgsqlConnection(store.ConnectionString);
        var builder = new SqliteConnectionStringBuilder(store.ConnectionString);
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is not { Length: > 0 } source || source == ":memory:"
            || (!source.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && !File.Exists(source)))
            return null;
        builder.Mode = SqliteOpenMode.ReadWrite;
        return new SqliteConnection(builder.ToString());
    }
}

using System.Data.Common;
using Gpunet.Coordinator.Storage.Migrations.Postgres;
using Gpunet.Coordinator.Storage.Migrations.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace Gpunet.Coordinator.Storage;

/// <summary>Makes or upgrades a store's schema to this coordinator's, by the EF Core migrations of its provider
/// (<c>Storage/Migrations/Sqlite</c>, <c>Storage/Migrations/Postgres</c>).</summary>
/// <remarks>
/// A new store runs every migration. A store made by the released schema (made whole by <c>EnsureCreated</c>, meta
/// <c>schema_version</c> <see cref="ReleasedVersion"/>, no migrations history) is baselined: the first migration, which
/// makes exactly that schema, is recorded as applied without running, then the later ones run. A store that a newer
/// coordinator migrated (a migration unknown here), or that another release made, is refused and left as it is.
/// </remarks>
internal static class StoreSchema
{
    /// <summary>The meta row naming the schema, which released coordinators check at start.</summary>
    public const string VersionKey = "schema_version";

    /// <summary>The released schema's version, made by the first migration.</summary>
    public const string ReleasedVersion = "7";

    /// <summary>Migrates the store behind <paramref name="dbFactory"/>; coordinators starting together on one
    /// PostgreSQL server take turns.</summary>
    /// <remarks>For code that holds only a factory (tests, benchmarks): reading the connection from a context builds
    /// the runtime model first. A coordinator's start calls <see cref="EnsureAsync(StoreConnection, CancellationToken)"/>.</remarks>
    public static async Task EnsureAsync(IDbContextFactory<GpunetDb> dbFactory, CancellationToken ct)
    {
        StoreConnection store;
        await using (var probe = await dbFactory.CreateDbContextAsync(ct))
        {
            store = new StoreConnection(probe.Database.IsNpgsql() ? StoreProvider.Postgres : StoreProvider.Sqlite,
                probe.Database.GetConnectionString() ?? throw new InvalidOperationException("the store's context has no connection string"));
        }

        await EnsureAsync(store, ct);
    }

    /// <summary>Migrates the store at <paramref name="store"/>; coordinators starting together on one PostgreSQL
    /// server take turns.</summary>
    /// <remarks>A store that already has every migration this coordinator knows, and none it does not, is left alone
    /// after one read of its history (<see cref="MigrationHistory"/>): a restart builds no migrations model and runs no
    /// migrator (about 0.2 s of a restart's 2.4 s of processor time, measured).</remarks>
    public static async Task EnsureAsync(StoreConnection store, CancellationToken ct)
    {
        if (await MigrationHistory.IsCurrentAsync(store, ct))
            return;
        var connectionString = store.ConnectionString;
        if (store.Provider != StoreProvider.Postgres)
        {
            await using var sqlite = SqliteMigrationsDb.Open(connectionString);
            // WAL lets readers (the API) run while the monitor writes; the journal mode stays with the file.
            await sqlite.Database.OpenConnectionAsync(ct);
            await sqlite.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            await sqlite.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL;", ct);
            await UpgradeAsync(sqlite, ct);
            return;
        }

        // Coordinators starting together would both create the database, or both baseline a released store (outside
        // EF's own migration lock): they take turns under an advisory lock, held in the server's maintenance database
        // because the store's own database may not exist yet.
        var target = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        await using var gate = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await gate.OpenAsync(ct);
        await using (var lockCommand = new Npgsql.NpgsqlCommand("SELECT pg_advisory_lock(hashtext(@db))", gate))
        {
            lockCommand.Parameters.AddWithValue("db", "gpunet-schema:" + target.Database);
            await lockCommand.ExecuteNonQueryAsync(ct);
        }

        // The lock is the session's: closing the connection (below, however this ends) releases it.
        await using var pg = PostgresMigrationsDb.Open(connectionString);
        await UpgradeAsync(pg, ct);
    }

    private static async Task UpgradeAsync(GpunetDb db, CancellationToken ct)
    {
        var known = db.Database.GetMigrations().ToList();
        var creator = db.GetService<IRelationalDatabaseCreator>();
        var exists = await creator.ExistsAsync(ct);
        if (exists && await HistoryExistsAsync(db, ct))
        {
            var unknown = (await db.Database.GetAppliedMigrationsAsync(ct)).Except(known).ToList();
            if (unknown.Count > 0)
            {
                throw new InvalidOperationException(
                    $"the database was upgraded by a newer coordinator (migration '{unknown[^1]}' is unknown here; this " +
                    $"coordinator's newest is '{known[^1]}'): run that coordinator's version or a later one, or use a fresh --db or --data directory");
            }
        }
        else if (exists && await creator.HasTablesAsync(ct))
        {
            var version = await ReleasedVersionOfAsync(db, ct);
            if (version != ReleasedVersion)
            {
                throw new InvalidOperationException(
                    $"the database holds Gpunet schema version '{version ?? "none"}', this coordinator upgrades '{ReleasedVersion}'; " +
                    "use a fresh --db or --data directory");
            }

            await BaselineAsync(db, known[0], ct);
        }

        await db.Database.MigrateAsync(ct);

        // A released coordinator reads this row and refuses any other value: once a migration past the released schema
        // has run, it names that migration, so an older coordinator never opens a schema it does not know.
        var current = known[^1] == known[0] ? ReleasedVersion : known[^1];
        await db.Meta.Where(m => m.Key == VersionKey).ExecuteUpdateAsync(s => s.SetProperty(m => m.Value, current), ct);
    }

    /// <summary>The schema version a store made before migrations wrote in its meta table, or null when it has
    /// none (not a Gpunet store).</summary>
    private static async Task<string?> ReleasedVersionOfAsync(GpunetDb db, CancellationToken ct)
    {
        try
        {
            return await db.Meta.AsNoTracking().Where(m => m.Key == VersionKey).Select(m => m.Value).FirstOrDefaultAsync(ct);
        }
        catch (DbException)
        {
            return null;
        }
    }

    /// <summary>Whether the store has EF's migrations history table.</summary>
    /// <remarks>Asked of the database itself: Npgsql's <c>IHistoryRepository.ExistsAsync</c> answers true for a
    /// database without the table (seen with 10.0.3).</remarks>
    private static async Task<bool> HistoryExistsAsync(GpunetDb db, CancellationToken ct)
    {
        var sql = db.Database.IsNpgsql()
            ? "SELECT to_regclass('\"__EFMigrationsHistory\"') IS NOT NULL AS \"Value\""
            : "SELECT count(*) > 0 AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory'";
        return await db.Database.SqlQueryRaw<bool>(sql).SingleAsync(ct);
    }

    /// <summary>Records <paramref name="initial"/> as applied without running it: the store already has its schema.</summary>
    private static async Task BaselineAsync(GpunetDb db, string initial, CancellationToken ct)
    {
        var history = db.GetService<IHistoryRepository>();
        // SQLite's transaction takes the write lock at once: a second coordinator on the same file that also found no
        // history waits here, then sees the first one's and leaves it (PostgreSQL's starts take turns before this).
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await HistoryExistsAsync(db, ct))
            return;
        await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), ct);
        await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(initial, ProductInfo.GetVersion())), ct);
        await tx.CommitAsync(ct);
    }
}

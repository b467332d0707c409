using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Storage.Migrations.Sqlite;

/// <summary>The store's model on SQLite, under its own type so that its migrations (in this folder) are told apart
/// from PostgreSQL's.</summary>
internal sealed class SqliteMigrationsDb(DbContextOptions<SqliteMigrationsDb> options) : GpunetDb(options)
{
    /// <summary>A context on the SQLite store at <paramref name="connectionString"/>, for migrating it.</summary>
    public static SqliteMigrationsDb Open(string connectionString) =>
        new(new DbContextOptionsBuilder<SqliteMigrationsDb>().UseSqlite(connectionString)
            // The model is checked against the migrations by PendingModelChangesTests, not at every start (a model diff).
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning)).Options);
}

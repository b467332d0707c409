using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Storage.Migrations.Postgres;

/// <summary>The store's model on PostgreSQL, under its own type so that its migrations (in this folder) are told
/// apart from SQLite's.</summary>
internal sealed class PostgresMigrationsDb(DbContextOptions<PostgresMigrationsDb> options) : GpunetDb(options)
{
    /// <summary>A context on the PostgreSQL store at <paramref name="connectionString"/>, for migrating it.</summary>
    public static PostgresMigrationsDb Open(string connectionString) =>
        new(new DbContextOptionsBuilder<PostgresMigrationsDb>().UseNpgsql(connectionString)
            // The model is checked against the migrations by PendingModelChangesTests, not at every start (a model diff).
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning)).Options);
}

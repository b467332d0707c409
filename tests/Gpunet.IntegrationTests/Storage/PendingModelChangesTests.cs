using Gpunet.Coordinator.Storage.Migrations.Postgres;
using Gpunet.Coordinator.Storage.Migrations.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.IntegrationTests.Storage;

/// <summary>A change to the model without a migration for each provider fails here, not on a customer's store.</summary>
public sealed class PendingModelChangesTests
{
    private const string AddMigration = "the model has changes no migration makes: add one for each provider (README, Storage)";

    [Fact]
    public void SqliteModel_ComparedWithItsMigrations_HasNoPendingChanges()
    {
        using var db = SqliteMigrationsDb.Open("Data Source=:memory:");
        Assert.False(db.Database.HasPendingModelChanges(), AddMigration);
    }

    [Fact]
    public void PostgresModel_ComparedWithItsMigrations_HasNoPendingChanges()
    {
        // Compares the model with the migrations' snapshot only: no server is reached.
        using var db = PostgresMigrationsDb.Open("Host=127.0.0.1;Database=unused");
        Assert.False(db.Database.HasPendingModelChanges(), AddMigration);
    }
}

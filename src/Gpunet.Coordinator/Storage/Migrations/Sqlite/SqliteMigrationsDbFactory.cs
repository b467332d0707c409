using Microsoft.EntityFrameworkCore.Design;

namespace Gpunet.Coordinator.Storage.Migrations.Sqlite;

/// <summary>What <c>dotnet ef migrations add … --context SqliteMigrationsDb</c> builds the model with; it never opens
/// the file.</summary>
internal sealed class SqliteMigrationsDbFactory : IDesignTimeDbContextFactory<SqliteMigrationsDb>
{
    public SqliteMigrationsDb CreateDbContext(string[] args) => SqliteMigrationsDb.Open("Data Source=gpunet-design-time.db");
}

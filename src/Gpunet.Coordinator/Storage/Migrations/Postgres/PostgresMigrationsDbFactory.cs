using Microsoft.EntityFrameworkCore.Design;

namespace Gpunet.Coordinator.Storage.Migrations.Postgres;

/// <summary>What <c>dotnet ef migrations add … --context PostgresMigrationsDb</c> builds the model with; it never
/// connects.</summary>
internal sealed class PostgresMigrationsDbFactory : IDesignTimeDbContextFactory<PostgresMigrationsDb>
{
    public PostgresMigrationsDb CreateDbContext(string[] args) => PostgresMigrationsDb.Open("Host=localhost;Database=gpunet_design_time");
}

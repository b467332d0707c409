using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gpunet.Coordinator.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PlantedHosts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Planted",
                table: "checks",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "planted_hosts",
                columns: table => new
                {
                    HostId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PlantedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PlantedBy = table.Column<string>(type: "TEXT", maxLength: 42, nullable: false),
                    RetiredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RetiredBy = table.Column<string>(type: "TEXT", maxLength: 42, nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_planted_hosts", x => x.HostId);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "planted_hosts");

            migrationBuilder.DropColumn(
                name: "Planted",
                table: "checks");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gpunet.Coordinator.Storage.Migrations.Postgres
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
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "planted_hosts",
                columns: table => new
                {
                    HostId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PlantedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PlantedBy = table.Column<string>(type: "character varying(42)", maxLength: 42, nullable: false),
                    RetiredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RetiredBy = table.Column<string>(type: "character varying(42)", maxLength: 42, nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
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

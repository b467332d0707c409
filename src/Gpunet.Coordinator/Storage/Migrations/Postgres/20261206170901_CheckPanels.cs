using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gpunet.Coordinator.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CheckPanels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EscalatedFrom",
                table: "checks",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EscalatedTo",
                table: "checks",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EscalatedFrom",
                table: "checks");

            migrationBuilder.DropColumn(
                name: "EscalatedTo",
                table: "checks");
        }
    }
}

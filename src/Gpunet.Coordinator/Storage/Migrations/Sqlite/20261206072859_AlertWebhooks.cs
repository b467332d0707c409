using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gpunet.Coordinator.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AlertWebhooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "alert_deliveries",
                columns: table => new
                {
                    Address = table.Column<string>(type: "TEXT", maxLength: 42, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alert_deliveries", x => new { x.Address, x.Key });
                });

            migrationBuilder.CreateTable(
                name: "alert_webhooks",
                columns: table => new
                {
                    Address = table.Column<string>(type: "TEXT", maxLength: 42, nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Secret = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SetAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alert_webhooks", x => x.Address);
                });

            migrationBuilder.CreateIndex(
                name: "IX_alert_deliveries_SentAt",
                table: "alert_deliveries",
                column: "SentAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alert_deliveries");

            migrationBuilder.DropTable(
                name: "alert_webhooks");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gpunet.Coordinator.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Sla : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Endpoint",
                table: "leases",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SlaTier",
                table: "leases",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "standard");

            migrationBuilder.CreateTable(
                name: "maintenance_windows",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    HostId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    From = table.Column<long>(type: "INTEGER", nullable: false),
                    To = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    DeclaredBy = table.Column<string>(type: "TEXT", maxLength: 42, nullable: false),
                    DeclaredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CancelledAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_maintenance_windows", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "sla_credits",
                columns: table => new
                {
                    LeaseId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Epoch = table.Column<long>(type: "INTEGER", nullable: false),
                    Month = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    Customer = table.Column<string>(type: "TEXT", maxLength: 42, nullable: false),
                    HostId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Tier = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ObligatedSeconds = table.Column<long>(type: "INTEGER", nullable: false),
                    DowntimeSeconds = table.Column<long>(type: "INTEGER", nullable: false),
                    Availability = table.Column<double>(type: "REAL", nullable: false),
                    ReplacementBroken = table.Column<bool>(type: "INTEGER", nullable: false),
                    FeesBaseUnits = table.Column<long>(type: "INTEGER", nullable: false),
                    DueBaseUnits = table.Column<long>(type: "INTEGER", nullable: false),
                    CreditedBaseUnits = table.Column<long>(type: "INTEGER", nullable: false),
                    ShortBaseUnits = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sla_credits", x => new { x.LeaseId, x.Epoch });
                });

            migrationBuilder.CreateIndex(
                name: "IX_maintenance_windows_HostId_From",
                table: "maintenance_windows",
                columns: new[] { "HostId", "From" });

            migrationBuilder.CreateIndex(
                name: "IX_maintenance_windows_To",
                table: "maintenance_windows",
                column: "To");

            migrationBuilder.CreateIndex(
                name: "IX_sla_credits_Customer_Month",
                table: "sla_credits",
                columns: new[] { "Customer", "Month" });

            migrationBuilder.CreateIndex(
                name: "IX_sla_credits_Epoch",
                table: "sla_credits",
                column: "Epoch");

            migrationBuilder.CreateIndex(
                name: "IX_sla_credits_HostId_Month",
                table: "sla_credits",
                columns: new[] { "HostId", "Month" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "maintenance_windows");

            migrationBuilder.DropTable(
                name: "sla_credits");

            migrationBuilder.DropColumn(
                name: "Endpoint",
                table: "leases");

            migrationBuilder.DropColumn(
                name: "SlaTier",
                table: "leases");
        }
    }
}

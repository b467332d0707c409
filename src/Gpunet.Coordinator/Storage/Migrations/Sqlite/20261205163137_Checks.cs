using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gpunet.Coordinator.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Checks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "check_refusals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Checker = table.Column<string>(type: "TEXT", maxLength: 42, nullable: false),
                    CheckId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_check_refusals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "check_reports",
                columns: table => new
                {
                    CheckId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Checker = table.Column<string>(type: "TEXT", maxLength: 42, nullable: false),
                    Passed = table.Column<bool>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    RoundTripMicros = table.Column<long>(type: "INTEGER", nullable: false),
                    ThroughputMbps = table.Column<double>(type: "REAL", nullable: false),
                    Gpus = table.Column<string>(type: "TEXT", nullable: false),
                    SignedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Signature = table.Column<string>(type: "TEXT", maxLength: 132, nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Correct = table.Column<bool>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_check_reports", x => new { x.CheckId, x.Checker });
                });

            migrationBuilder.CreateTable(
                name: "checks",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    HostId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    HostOperator = table.Column<string>(type: "TEXT", maxLength: 42, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Deadline = table.Column<long>(type: "INTEGER", nullable: false),
                    Checkers = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Task = table.Column<string>(type: "TEXT", nullable: true),
                    Honeypot = table.Column<bool>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Consequence = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_checks", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_check_refusals_Checker_At",
                table: "check_refusals",
                columns: new[] { "Checker", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_check_reports_Checker_ReceivedAt",
                table: "check_reports",
                columns: new[] { "Checker", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_checks_HostId_IssuedAt",
                table: "checks",
                columns: new[] { "HostId", "IssuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_checks_Kind_DecidedAt",
                table: "checks",
                columns: new[] { "Kind", "DecidedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_checks_Outcome_Deadline",
                table: "checks",
                columns: new[] { "Outcome", "Deadline" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "check_refusals");

            migrationBuilder.DropTable(
                name: "check_reports");

            migrationBuilder.DropTable(
                name: "checks");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Gpunet.Coordinator.Storage.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Checker = table.Column<string>(type: "character varying(42)", maxLength: 42, nullable: false),
                    CheckId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_check_refusals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "check_reports",
                columns: table => new
                {
                    CheckId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Checker = table.Column<string>(type: "character varying(42)", maxLength: 42, nullable: false),
                    Passed = table.Column<bool>(type: "boolean", nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    RoundTripMicros = table.Column<long>(type: "bigint", nullable: false),
                    ThroughputMbps = table.Column<double>(type: "double precision", nullable: false),
                    Gpus = table.Column<string>(type: "text", nullable: false),
                    SignedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Signature = table.Column<string>(type: "character varying(132)", maxLength: 132, nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Correct = table.Column<bool>(type: "boolean", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_check_reports", x => new { x.CheckId, x.Checker });
                });

            migrationBuilder.CreateTable(
                name: "checks",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    HostId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    HostOperator = table.Column<string>(type: "character varying(42)", maxLength: 42, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Deadline = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Checkers = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Task = table.Column<string>(type: "text", nullable: true),
                    Honeypot = table.Column<bool>(type: "boolean", nullable: false),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Consequence = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
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

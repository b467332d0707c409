using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gpunet.Coordinator.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AttemptsHeardSinceCarriedMs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Reports and lines stored before attempts were numbered are the first attempt's (a lease that moved before
            // this upgrade kept only the first host's numbers: the later ones were refused as reused).
            migrationBuilder.DropPrimaryKey(
                name: "PK_lease_usage",
                table: "lease_usage");

            migrationBuilder.DropPrimaryKey(
                name: "PK_lease_logs",
                table: "lease_logs");

            migrationBuilder.AddColumn<int>(
                name: "Attempt",
                table: "lease_usage",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "Attempt",
                table: "lease_logs",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<long>(
                name: "CarriedMs",
                table: "lease_billing",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "HeardSince",
                table: "hosts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddPrimaryKey(
                name: "PK_lease_usage",
                table: "lease_usage",
                columns: new[] { "LeaseId", "Attempt", "Sequence" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_lease_logs",
                table: "lease_logs",
                columns: new[] { "LeaseId", "Attempt", "Sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_lease_usage",
                table: "lease_usage");

            migrationBuilder.DropPrimaryKey(
                name: "PK_lease_logs",
                table: "lease_logs");

            migrationBuilder.DropColumn(
                name: "Attempt",
                table: "lease_usage");

            migrationBuilder.DropColumn(
                name: "Attempt",
                table: "lease_logs");

            migrationBuilder.DropColumn(
                name: "CarriedMs",
                table: "lease_billing");

            migrationBuilder.DropColumn(
                name: "HeardSince",
                table: "hosts");

            migrationBuilder.AddPrimaryKey(
                name: "PK_lease_usage",
                table: "lease_usage",
                columns: new[] { "LeaseId", "Sequence" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_lease_logs",
                table: "lease_logs",
                columns: new[] { "LeaseId", "Sequence" });
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gpunet.Coordinator.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PendingUsageIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_lease_usage_Epoch_ReceivedAt",
                table: "lease_usage");

            migrationBuilder.CreateIndex(
                name: "IX_lease_usage_Pending",
                table: "lease_usage",
                column: "ReceivedAt",
                filter: "\"Epoch\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_lease_usage_Pending",
                table: "lease_usage");

            migrationBuilder.CreateIndex(
                name: "IX_lease_usage_Epoch_ReceivedAt",
                table: "lease_usage",
                columns: new[] { "Epoch", "ReceivedAt" });
        }
    }
}

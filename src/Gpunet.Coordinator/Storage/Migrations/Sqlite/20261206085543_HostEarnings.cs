using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gpunet.Coordinator.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HostEarnings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "host_earnings",
                columns: table => new
                {
                    HostId = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Epoch = table.Column<long>(type: "INTEGER", nullable: false),
                    Operator = table.Column<string>(type: "TEXT", maxLength: 42, nullable: false),
                    Capacity = table.Column<long>(type: "INTEGER", nullable: false),
                    Delivery = table.Column<long>(type: "INTEGER", nullable: false),
                    Fees = table.Column<long>(type: "INTEGER", nullable: false),
                    Slashed = table.Column<long>(type: "INTEGER", nullable: false),
                    Credited = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_earnings", x => new { x.HostId, x.Epoch });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "host_earnings");
        }
    }
}

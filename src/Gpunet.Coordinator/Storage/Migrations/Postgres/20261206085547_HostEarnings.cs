using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gpunet.Coordinator.Storage.Migrations.Postgres
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
                    HostId = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Epoch = table.Column<long>(type: "bigint", nullable: false),
                    Operator = table.Column<string>(type: "character varying(42)", maxLength: 42, nullable: false),
                    Capacity = table.Column<long>(type: "bigint", nullable: false),
                    Delivery = table.Column<long>(type: "bigint", nullable: false),
                    Fees = table.Column<long>(type: "bigint", nullable: false),
                    Slashed = table.Column<long>(type: "bigint", nullable: false),
                    Credited = table.Column<long>(type: "bigint", nullable: false)
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

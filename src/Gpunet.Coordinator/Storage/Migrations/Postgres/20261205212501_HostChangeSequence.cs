using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Gpunet.Coordinator.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HostChangeSequence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "host_changes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    HostId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_changes", x => x.Id);
                });

            // Listeners (HostChangeFeed) read at once: one notification per inserting statement, delivered at its commit.
            migrationBuilder.Sql("""
                CREATE FUNCTION gpunet_notify_host_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('gpunet_host_changes', '');
                    RETURN NULL;
                END $$;
                CREATE TRIGGER host_changes_notify AFTER INSERT ON host_changes
                    FOR EACH STATEMENT EXECUTE FUNCTION gpunet_notify_host_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER host_changes_notify ON host_changes; DROP FUNCTION gpunet_notify_host_change();");
            migrationBuilder.DropTable(
                name: "host_changes");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Gpunet.Coordinator.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ReleasedSchema7 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "allocations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    HostId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    GpuIndices = table.Column<string>(type: "text", nullable: false),
                    GpuMilliEach = table.Column<int>(type: "integer", nullable: false),
                    CpuMilli = table.Column<int>(type: "integer", nullable: false),
                    MemoryMib = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_allocations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Subject = table.Column<string>(type: "text", nullable: false),
                    Rule = table.Column<string>(type: "text", nullable: false),
                    Inputs = table.Column<string>(type: "text", nullable: false),
                    ListVersion = table.Column<string>(type: "text", nullable: true),
                    PolicyVersion = table.Column<string>(type: "text", nullable: true),
                    Outcome = table.Column<string>(type: "text", nullable: false),
                    DecidedBy = table.Column<string>(type: "text", nullable: false),
                    PreviousHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_log", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "compliance_policies",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Yaml = table.Column<string>(type: "text", nullable: false),
                    AppliedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AppliedBy = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_compliance_policies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "epochs",
                columns: table => new
                {
                    Epoch = table.Column<long>(type: "bigint", nullable: false),
                    Start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    End = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SettledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Transfers = table.Column<int>(type: "integer", nullable: false),
                    Totals = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_epochs", x => x.Epoch);
                });

            migrationBuilder.CreateTable(
                name: "host_capacity",
                columns: table => new
                {
                    HostId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    FreeCpuMilli = table.Column<int>(type: "integer", nullable: false),
                    FreeMemoryMib = table.Column<int>(type: "integer", nullable: false),
                    FreeGpuMilli = table.Column<string>(type: "text", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_capacity", x => x.HostId);
                });

            migrationBuilder.CreateTable(
                name: "host_locations",
                columns: table => new
                {
                    HostId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Address = table.Column<string>(type: "character varying(45)", maxLength: 45, nullable: false),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ResolvedCountry = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    DeclaredCountry = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    Check = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Detail = table.Column<string>(type: "text", nullable: false),
                    DatabaseVersion = table.Column<string>(type: "text", nullable: false),
                    CheckedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ClearedBy = table.Column<string>(type: "text", nullable: true),
                    ClearedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClearedReason = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_locations", x => x.HostId);
                });

            migrationBuilder.CreateTable(
                name: "host_transitions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    HostId = table.Column<string>(type: "text", nullable: false),
                    From = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    To = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_transitions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "hosts",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Address = table.Column<string>(type: "character varying(42)", maxLength: 42, nullable: false),
                    Fingerprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Hostname = table.Column<string>(type: "text", nullable: false),
                    Country = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    Region = table.Column<string>(type: "text", nullable: false),
                    Latitude = table.Column<double>(type: "double precision", nullable: false),
                    Longitude = table.Column<double>(type: "double precision", nullable: false),
                    PublicIp = table.Column<string>(type: "text", nullable: false),
                    PriceUsdPerGpuHour = table.Column<decimal>(type: "numeric(12,4)", precision: 12, scale: 4, nullable: false),
                    DriverVersion = table.Column<string>(type: "text", nullable: false),
                    CudaVersion = table.Column<string>(type: "text", nullable: false),
                    CpuModel = table.Column<string>(type: "text", nullable: false),
                    CpuCores = table.Column<int>(type: "integer", nullable: false),
                    MemoryMb = table.Column<long>(type: "bigint", nullable: false),
                    Simulated = table.Column<bool>(type: "boolean", nullable: false),
                    AgentVersion = table.Column<string>(type: "text", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    StateReason = table.Column<string>(type: "text", nullable: false),
                    StateSince = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RegisteredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastHeardAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hosts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "kyc_submissions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Address = table.Column<string>(type: "character varying(42)", maxLength: 42, nullable: false),
                    Kind = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Document = table.Column<string>(type: "text", nullable: false),
                    LegalName = table.Column<string>(type: "text", nullable: false),
                    Country = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    ParentCountry = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Final = table.Column<bool>(type: "boolean", nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: true),
                    DecidedBy = table.Column<string>(type: "text", nullable: true),
                    Provider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Screening = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    ScreeningSummary = table.Column<string>(type: "text", nullable: false),
                    ListVersion = table.Column<string>(type: "text", nullable: false),
                    LastEventAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_kyc_submissions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "kyc_webhook_events",
                columns: table => new
                {
                    Provider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    EventId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    SubmissionId = table.Column<string>(type: "text", nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Outcome = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_kyc_webhook_events", x => new { x.Provider, x.EventId });
                });

            migrationBuilder.CreateTable(
                name: "lease_billing",
                columns: table => new
                {
                    LeaseId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Customer = table.Column<string>(type: "character varying(42)", maxLength: 42, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    UsdPerToken = table.Column<decimal>(type: "numeric", nullable: false),
                    MaxUsdPerGpuHour = table.Column<decimal>(type: "numeric", nullable: false),
                    Gpus = table.Column<int>(type: "integer", nullable: false),
                    GpuMilli = table.Column<int>(type: "integer", nullable: false),
                    TermSeconds = table.Column<long>(type: "bigint", nullable: false),
                    ChargedSeconds = table.Column<long>(type: "bigint", nullable: false),
                    HoldId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    HoldAmount = table.Column<long>(type: "bigint", nullable: false),
                    ClosedEpoch = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lease_billing", x => x.LeaseId);
                });

            migrationBuilder.CreateTable(
                name: "lease_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LeaseId = table.Column<string>(type: "text", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    HostId = table.Column<string>(type: "text", nullable: true),
                    Reason = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lease_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "lease_logs",
                columns: table => new
                {
                    LeaseId = table.Column<string>(type: "text", nullable: false),
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    Stream = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lease_logs", x => new { x.LeaseId, x.Sequence });
                });

            migrationBuilder.CreateTable(
                name: "lease_usage",
                columns: table => new
                {
                    LeaseId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    HostId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Operator = table.Column<string>(type: "character varying(42)", maxLength: 42, nullable: false),
                    FromMs = table.Column<long>(type: "bigint", nullable: false),
                    ToMs = table.Column<long>(type: "bigint", nullable: false),
                    ReportedMs = table.Column<long>(type: "bigint", nullable: false),
                    BilledMs = table.Column<long>(type: "bigint", nullable: false),
                    Gpus = table.Column<int>(type: "integer", nullable: false),
                    GpuMilli = table.Column<int>(type: "integer", nullable: false),
                    Signature = table.Column<string>(type: "character varying(132)", maxLength: 132, nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Epoch = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lease_usage", x => new { x.LeaseId, x.Sequence });
                });

            migrationBuilder.CreateTable(
                name: "leases",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    OrderId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Owner = table.Column<string>(type: "character varying(42)", maxLength: 42, nullable: false),
                    Member = table.Column<int>(type: "integer", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    StateReason = table.Column<string>(type: "text", nullable: false),
                    EndReason = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    HostId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    GpuIndices = table.Column<string>(type: "text", nullable: false),
                    GpuMilli = table.Column<int>(type: "integer", nullable: false),
                    GpuModel = table.Column<string>(type: "text", nullable: false),
                    PriceUsdPerGpuHour = table.Column<decimal>(type: "numeric(12,4)", precision: 12, scale: 4, nullable: false),
                    AllocationId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Attempt = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PlacedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ExitCode = table.Column<int>(type: "integer", nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_leases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ledger_account_keys",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    Key = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ledger_account_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ledger_accounts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    DebitsPosted = table.Column<long>(type: "bigint", nullable: false),
                    CreditsPosted = table.Column<long>(type: "bigint", nullable: false),
                    DebitsPending = table.Column<long>(type: "bigint", nullable: false),
                    CreditsPending = table.Column<long>(type: "bigint", nullable: false),
                    Flags = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ledger_accounts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ledger_transfers",
                columns: table => new
                {
                    IdHigh = table.Column<long>(type: "bigint", nullable: false),
                    IdLow = table.Column<long>(type: "bigint", nullable: false),
                    DebitAccountId = table.Column<long>(type: "bigint", nullable: false),
                    CreditAccountId = table.Column<long>(type: "bigint", nullable: false),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    Code = table.Column<int>(type: "integer", nullable: false),
                    Flags = table.Column<int>(type: "integer", nullable: false),
                    PendingIdHigh = table.Column<long>(type: "bigint", nullable: true),
                    PendingIdLow = table.Column<long>(type: "bigint", nullable: true),
                    Timestamp = table.Column<long>(type: "bigint", nullable: false),
                    Sequence = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ledger_transfers", x => new { x.IdHigh, x.IdLow });
                });

            migrationBuilder.CreateTable(
                name: "ledger_unbonding",
                columns: table => new
                {
                    TransferId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Owner = table.Column<string>(type: "character varying(42)", maxLength: 42, nullable: false),
                    HostId = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReleaseAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReleasedEpoch = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ledger_unbonding", x => x.TransferId);
                });

            migrationBuilder.CreateTable(
                name: "meta",
                columns: table => new
                {
                    Key = table.Column<string>(type: "text", nullable: false),
                    Value = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_meta", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "orders",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Owner = table.Column<string>(type: "character varying(42)", maxLength: 42, nullable: false),
                    Spec = table.Column<string>(type: "text", nullable: false),
                    Hosts = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    QueueDeadline = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_orders", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "sanctions_lists",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Version = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Sdn = table.Column<string>(type: "text", nullable: false),
                    Alt = table.Column<string>(type: "text", nullable: true),
                    Entries = table.Column<int>(type: "integer", nullable: false),
                    ImportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ImportedBy = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sanctions_lists", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "slash_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    HostId = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Operator = table.Column<string>(type: "character varying(42)", maxLength: 42, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Epoch = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_slash_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "vesting_tranches",
                columns: table => new
                {
                    Owner = table.Column<string>(type: "character varying(42)", maxLength: 42, nullable: false),
                    Epoch = table.Column<long>(type: "bigint", nullable: false),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    Released = table.Column<long>(type: "bigint", nullable: false),
                    Start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_vesting_tranches", x => new { x.Owner, x.Epoch });
                });

            migrationBuilder.CreateTable(
                name: "host_gpus",
                columns: table => new
                {
                    HostId = table.Column<string>(type: "character varying(32)", nullable: false),
                    Index = table.Column<int>(type: "integer", nullable: false),
                    Uuid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Model = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: false),
                    SmiName = table.Column<string>(type: "text", nullable: false),
                    MemoryTotalMib = table.Column<long>(type: "bigint", nullable: false),
                    PciBusId = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_gpus", x => new { x.HostId, x.Index });
                    table.ForeignKey(
                        name: "FK_host_gpus_hosts_HostId",
                        column: x => x.HostId,
                        principalTable: "hosts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_allocations_HostId",
                table: "allocations",
                column: "HostId");

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_Subject",
                table: "audit_log",
                column: "Subject");

            migrationBuilder.CreateIndex(
                name: "IX_compliance_policies_Version",
                table: "compliance_policies",
                column: "Version",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_host_gpus_Uuid",
                table: "host_gpus",
                column: "Uuid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_host_transitions_HostId_Id",
                table: "host_transitions",
                columns: new[] { "HostId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_hosts_Address",
                table: "hosts",
                column: "Address");

            migrationBuilder.CreateIndex(
                name: "IX_hosts_Fingerprint",
                table: "hosts",
                column: "Fingerprint",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_kyc_submissions_Address_SubmittedAt",
                table: "kyc_submissions",
                columns: new[] { "Address", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_kyc_submissions_State",
                table: "kyc_submissions",
                column: "State");

            migrationBuilder.CreateIndex(
                name: "IX_lease_billing_ClosedEpoch",
                table: "lease_billing",
                column: "ClosedEpoch");

            migrationBuilder.CreateIndex(
                name: "IX_lease_events_LeaseId_Id",
                table: "lease_events",
                columns: new[] { "LeaseId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_lease_usage_Epoch_ReceivedAt",
                table: "lease_usage",
                columns: new[] { "Epoch", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_leases_HostId",
                table: "leases",
                column: "HostId");

            migrationBuilder.CreateIndex(
                name: "IX_leases_OrderId",
                table: "leases",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_leases_Owner_State",
                table: "leases",
                columns: new[] { "Owner", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_leases_State",
                table: "leases",
                column: "State");

            migrationBuilder.CreateIndex(
                name: "IX_ledger_account_keys_Key",
                table: "ledger_account_keys",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ledger_unbonding_ReleasedEpoch_ReleaseAt",
                table: "ledger_unbonding",
                columns: new[] { "ReleasedEpoch", "ReleaseAt" });

            migrationBuilder.CreateIndex(
                name: "IX_orders_Owner",
                table: "orders",
                column: "Owner");

            migrationBuilder.CreateIndex(
                name: "IX_slash_events_Epoch_At",
                table: "slash_events",
                columns: new[] { "Epoch", "At" });

            // The released coordinator wrote these when it made a store; StoreSchema moves schema_version on when a
            // later migration runs.
            migrationBuilder.InsertData(
                table: "meta",
                columns: new[] { "Key", "Value" },
                values: new object[,]
                {
                    { "schema_version", "7" },
                    { "ledger_version", "0" },
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "allocations");

            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropTable(
                name: "compliance_policies");

            migrationBuilder.DropTable(
                name: "epochs");

            migrationBuilder.DropTable(
                name: "host_capacity");

            migrationBuilder.DropTable(
                name: "host_gpus");

            migrationBuilder.DropTable(
                name: "host_locations");

            migrationBuilder.DropTable(
                name: "host_transitions");

            migrationBuilder.DropTable(
                name: "kyc_submissions");

            migrationBuilder.DropTable(
                name: "kyc_webhook_events");

            migrationBuilder.DropTable(
                name: "lease_billing");

            migrationBuilder.DropTable(
                name: "lease_events");

            migrationBuilder.DropTable(
                name: "lease_logs");

            migrationBuilder.DropTable(
                name: "lease_usage");

            migrationBuilder.DropTable(
                name: "leases");

            migrationBuilder.DropTable(
                name: "ledger_account_keys");

            migrationBuilder.DropTable(
                name: "ledger_accounts");

            migrationBuilder.DropTable(
                name: "ledger_transfers");

            migrationBuilder.DropTable(
                name: "ledger_unbonding");

            migrationBuilder.DropTable(
                name: "meta");

            migrationBuilder.DropTable(
                name: "orders");

            migrationBuilder.DropTable(
                name: "sanctions_lists");

            migrationBuilder.DropTable(
                name: "slash_events");

            migrationBuilder.DropTable(
                name: "vesting_tranches");

            migrationBuilder.DropTable(
                name: "hosts");
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Gpunet.Coordinator.Storage;

/// <summary>The coordinator's store: one schema for SQLite and PostgreSQL.</summary>
/// <remarks>The schema is made and upgraded by EF Core migrations, one set per provider, carried by the derived
/// <see cref="Migrations.Sqlite.SqliteMigrationsDb"/> and <see cref="Migrations.Postgres.PostgresMigrationsDb"/>
/// (see <see cref="StoreSchema"/>).</remarks>
internal class GpunetDb : DbContext
{
    /// <summary>The context the coordinator's services use.</summary>
    public GpunetDb(DbContextOptions<GpunetDb> options)
        : base(options)
    {
    }

    /// <summary>For the per-provider contexts that carry the migrations: the same model under another type.</summary>
    protected GpunetDb(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<HostRecord> Hosts => Set<HostRecord>();
    public DbSet<GpuRecord> Gpus => Set<GpuRecord>();
    public DbSet<HostTransitionRecord> HostTransitions => Set<HostTransitionRecord>();
    public DbSet<HostChangeRecord> HostChanges => Set<HostChangeRecord>();
    public DbSet<MetaRecord> Meta => Set<MetaRecord>();
    public DbSet<HostCapacityRecord> HostCapacity => Set<HostCapacityRecord>();
    public DbSet<AllocationRecord> Allocations => Set<AllocationRecord>();
    public DbSet<OrderRecord> Orders => Set<OrderRecord>();
    public DbSet<LeaseRecord> Leases => Set<LeaseRecord>();
    public DbSet<LeaseEventRecord> LeaseEvents => Set<LeaseEventRecord>();
    public DbSet<LeaseLogRecord> LeaseLogs => Set<LeaseLogRecord>();
    public DbSet<LeaseUsageRecord> LeaseUsage => Set<LeaseUsageRecord>();
    public DbSet<LedgerAccountRecord> LedgerAccounts => Set<LedgerAccountRecord>();
    public DbSet<LedgerTransferRecord> LedgerTransfers => Set<LedgerTransferRecord>();
    public DbSet<LedgerAccountKeyRecord> LedgerAccountKeys => Set<LedgerAccountKeyRecord>();
    public DbSet<UnbondingRecord> Unbonding => Set<UnbondingRecord>();
    public DbSet<EpochRecord> Epochs => Set<EpochRecord>();
    public DbSet<LeaseBillingRecord> LeaseBilling => Set<LeaseBillingRecord>();
    public DbSet<VestingTrancheRecord> VestingTranches => Set<VestingTrancheRecord>();
    public DbSet<HostEarningRecord> HostEarnings => Set<HostEarningRecord>();
    public DbSet<SlashEventRecord> SlashEvents => Set<SlashEventRecord>();
    public DbSet<KycSubmissionRecord> KycSubmissions => Set<KycSubmissionRecord>();
    public DbSet<CompliancePolicyRecord> CompliancePolicies => Set<CompliancePolicyRecord>();
    public DbSet<SanctionsListRecord> SanctionsLists => Set<SanctionsListRecord>();
    public DbSet<WebhookEventRecord> WebhookEvents => Set<WebhookEventRecord>();
    public DbSet<HostLocationRecord> HostLocations => Set<HostLocationRecord>();
    public DbSet<AuditRecord> AuditLog => Set<AuditRecord>();
    public DbSet<CheckerLicenceRecord> CheckerLicences => Set<CheckerLicenceRecord>();
    public DbSet<CheckRecord> Checks => Set<CheckRecord>();
    public DbSet<CheckReportRecord> CheckReports => Set<CheckReportRecord>();
    public DbSet<CheckRefusalRecord> CheckRefusals => Set<CheckRefusalRecord>();
    public DbSet<PlantedHostRecord> PlantedHosts => Set<PlantedHostRecord>();
    public DbSet<MaintenanceWindowRecord> MaintenanceWindows => Set<MaintenanceWindowRecord>();
    public DbSet<SlaCreditRecord> SlaCredits => Set<SlaCreditRecord>();
    public DbSet<SignInChallengeRecord> SignInChallenges => Set<SignInChallengeRecord>();
    public DbSet<DataProtectionKeyRecord> DataProtectionKeys => Set<DataProtectionKeyRecord>();
    public DbSet<LeadershipRecord> Leadership => Set<LeadershipRecord>();
    public DbSet<ConsoleLinkRecord> ConsoleLinks => Set<ConsoleLinkRecord>();
    public DbSet<AlertWebhookRecord> AlertWebhooks => Set<AlertWebhookRecord>();
    public DbSet<AlertDeliveryRecord> AlertDeliveries => Set<AlertDeliveryRecord>();

    /// <summary>A context on an open connection, enlisted in <paramref name="tx"/>: for work that must commit with the
    /// ledger's batch (see <c>LedgerService.SubmitAsync</c>).</summary>
    public static GpunetDb On(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx)
    {
        // The options are built once per provider and the connection set on each context: options made afresh for each
        // context (with the connection in them) cost EF a lookup of its internal services by their whole configuration,
        // about 1.3 ms a context inside the ledger's transaction, with SQLite's one write lock held.
        var db = new GpunetDb(connection is Npgsql.NpgsqlConnection ? OnNpgsql.Value : OnSqlite.Value);
        db.Database.SetDbConnection(connection);
        db.Database.UseTransaction(tx);
        return db;
    }

    private static readonly Lazy<DbContextOptions<GpunetDb>> OnSqlite = new(() =>
        new DbContextOptionsBuilder<GpunetDb>().UseSqlite().AddInterceptors(SqliteConnectionSettings.Instance).Options);

    /// <summary>The model of an SQLite store: the columns and conversions for writing rows without a context
    /// (<see cref="SqliteRowInserter{T}"/>).</summary>
    public static IModel SqliteModel => SqliteModelOnce.Value;

    private static readonly Lazy<IModel> SqliteModelOnce = new(() =>
    {
        using var db = new GpunetDb(OnSqlite.Value);
        return db.Model;
    });

    private static readonly Lazy<DbContextOptions<GpunetDb>> OnNpgsql = new(() => new DbContextOptionsBuilder<GpunetDb>().UseNpgsql().Options);

    protected override void OnModelCreating(ModelBuilder b)
    {
        // Each module configures its own tables (Hosts/HostsStorage, Ledger/LedgerStorage, ...); the store keeps meta.
        b.ApplyConfigurationsFromAssembly(typeof(GpunetDb).Assembly);
        b.Entity<MetaRecord>(e =>
        {
            e.ToTable("meta");
            e.HasKey(m => m.Key);
        });

        if (Database.IsSqlite())
        {
            // SQLite cannot order or compare DateTimeOffset stored as text; store UTC ticks instead.
            foreach (var entity in b.Model.GetEntityTypes())
            {
                foreach (var p in entity.GetProperties())
                {
                    if (p.ClrType == typeof(DateTimeOffset))
                        p.SetValueConverter(new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter());
                    else if (p.ClrType == typeof(DateTimeOffset?))
                        p.SetValueConverter(new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter());
                    else if (p.ClrType == typeof(decimal))
                        p.SetValueConverter(new Microsoft.EntityFrameworkCore.Storage.ValueConversion.CastingConverter<decimal, double>());
                }
            }
        }
    }
}

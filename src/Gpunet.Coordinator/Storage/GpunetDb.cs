using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Storage;

/// <summary>The coordinator's store: one schema for SQLite and PostgreSQL.</summary>
internal sealed class GpunetDb(DbContextOptions<GpunetDb> options) : DbContext(options)
{
    public DbSet<HostRecord> Hosts => Set<HostRecord>();
    public DbSet<GpuRecord> Gpus => Set<GpuRecord>();
    public DbSet<HostTransitionRecord> HostTransitions => Set<HostTransitionRecord>();
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
    public DbSet<SlashEventRecord> SlashEvents => Set<SlashEventRecord>();
    public DbSet<KycSubmissionRecord> KycSubmissions => Set<KycSubmissionRecord>();
    public DbSet<CompliancePolicyRecord> CompliancePolicies => Set<CompliancePolicyRecord>();
    public DbSet<SanctionsListRecord> SanctionsLists => Set<SanctionsListRecord>();
    public DbSet<WebhookEventRecord> WebhookEvents => Set<WebhookEventRecord>();
    public DbSet<HostLocationRecord> HostLocations => Set<HostLocationRecord>();
    public DbSet<AuditRecord> AuditLog => Set<AuditRecord>();

    /// <summary>A context on an open connection, enlisted in <paramref name="tx"/>: for work that must commit with the
    /// ledger's batch (see <c>LedgerService.SubmitAsync</c>).</summary>
    public static GpunetDb On(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx)
    {
        var options = new DbContextOptionsBuilder<GpunetDb>();
        if (connection is Npgsql.NpgsqlConnection)
            options.UseNpgsql(connection);
        else
            options.UseSqlite(connection);
        var db = new GpunetDb(options.Options);
        db.Database.UseTransaction(tx);
        return db;
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<HostRecord>(e =>
        {
            e.ToTable("hosts");
            e.HasKey(h => h.Id);
            e.Property(h => h.Id).HasMaxLength(32);
            e.Property(h => h.Address).HasMaxLength(42);
            e.Property(h => h.Fingerprint).HasMaxLength(64);
            e.HasIndex(h => h.Fingerprint).IsUnique();
            e.HasIndex(h => h.Address);
            e.Property(h => h.Country).HasMaxLength(2);
            e.Property(h => h.State).HasMaxLength(16);
            e.Property(h => h.PriceUsdPerGpuHour).HasPrecision(12, 4);
            e.HasMany(h => h.Gpus).WithOne().HasForeignKey(g => g.HostId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<GpuRecord>(e =>
        {
            e.ToTable("host_gpus");
            e.HasKey(g => new { g.HostId, g.Index });
            e.Property(g => g.Uuid).HasMaxLength(64);
            // A GPU serves one container: one holder per UUID, across every coordinator on this store.
            e.HasIndex(g => g.Uuid).IsUnique();
            e.Property(g => g.Model).HasMaxLength(48);
        });
        b.Entity<HostTransitionRecord>(e =>
        {
            e.ToTable("host_transitions");
            e.HasKey(t => t.Id);
            e.HasIndex(t => new { t.HostId, t.Id });
            e.Property(t => t.From).HasMaxLength(16);
            e.Property(t => t.To).HasMaxLength(16);
        });
        b.Entity<MetaRecord>(e =>
        {
            e.ToTable("meta");
            e.HasKey(m => m.Key);
        });
        b.Entity<HostCapacityRecord>(e =>
        {
            e.ToTable("host_capacity");
            e.HasKey(c => c.HostId);
            e.Property(c => c.HostId).HasMaxLength(64);
            e.Property(c => c.Version).IsConcurrencyToken();
        });
        b.Entity<AllocationRecord>(e =>
        {
            e.ToTable("allocations");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).HasMaxLength(64);
            e.Property(a => a.HostId).HasMaxLength(64);
            e.HasIndex(a => a.HostId);
        });
        b.Entity<OrderRecord>(e =>
        {
            e.ToTable("orders");
            e.HasKey(o => o.Id);
            e.Property(o => o.Id).HasMaxLength(40);
            e.Property(o => o.Owner).HasMaxLength(42);
            e.HasIndex(o => o.Owner);
        });
        b.Entity<LeaseRecord>(e =>
        {
            e.ToTable("leases");
            e.HasKey(l => l.Id);
            e.Property(l => l.Id).HasMaxLength(40);
            e.Property(l => l.OrderId).HasMaxLength(40);
            e.Property(l => l.Owner).HasMaxLength(42);
            e.Property(l => l.State).HasMaxLength(16);
            e.Property(l => l.EndReason).HasMaxLength(24);
            e.Property(l => l.HostId).HasMaxLength(32);
            e.Property(l => l.AllocationId).HasMaxLength(64);
            e.Property(l => l.PriceUsdPerGpuHour).HasPrecision(12, 4);
            e.Property(l => l.Version).IsConcurrencyToken();
            // A customer's leases, and those of them waiting (the queue cap counts them on every order).
            e.HasIndex(l => new { l.Owner, l.State });
            e.HasIndex(l => l.State);
            e.HasIndex(l => l.HostId);
            e.HasIndex(l => l.OrderId);
        });
        b.Entity<LeaseEventRecord>(e =>
        {
            e.ToTable("lease_events");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.LeaseId, x.Id });
            e.Property(x => x.State).HasMaxLength(16);
        });
        b.Entity<LeaseLogRecord>(e =>
        {
            e.ToTable("lease_logs");
            e.HasKey(x => new { x.LeaseId, x.Sequence });
            e.Property(x => x.Stream).HasMaxLength(8);
        });
        b.Entity<LeaseUsageRecord>(e =>
        {
            e.ToTable("lease_usage");
            e.HasKey(x => new { x.LeaseId, x.Sequence });
            e.Property(x => x.LeaseId).HasMaxLength(40);
            e.Property(x => x.HostId).HasMaxLength(32);
            e.Property(x => x.Operator).HasMaxLength(42);
            e.Property(x => x.Signature).HasMaxLength(132);
            e.HasIndex(x => new { x.Epoch, x.ReceivedAt });
        });
        b.Entity<LedgerAccountRecord>(e =>
        {
            e.ToTable("ledger_accounts");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).ValueGeneratedNever();
        });
        b.Entity<LedgerAccountKeyRecord>(e =>
        {
            e.ToTable("ledger_account_keys");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).ValueGeneratedNever();
            e.Property(a => a.Key).HasMaxLength(120);
            e.HasIndex(a => a.Key).IsUnique();
        });
        b.Entity<LedgerTransferRecord>(e =>
        {
            e.ToTable("ledger_transfers");
            e.HasKey(t => new { t.IdHigh, t.IdLow });
            // No index by account: two of them cost two thirds of the write rate (measured: 160,000 → 55,000
            // transfers/s); the ledger service keeps each account's history in memory instead.
        });

        b.Entity<UnbondingRecord>(e =>
        {
            e.ToTable("ledger_unbonding");
            e.HasKey(x => x.TransferId);
            e.Property(x => x.TransferId).HasMaxLength(32);
            e.Property(x => x.Owner).HasMaxLength(42);
            e.Property(x => x.HostId).HasMaxLength(20);
            e.HasIndex(x => new { x.ReleasedEpoch, x.ReleaseAt });
        });

        b.Entity<EpochRecord>(e =>
        {
            e.ToTable("epochs");
            e.HasKey(x => x.Epoch);
            e.Property(x => x.Epoch).ValueGeneratedNever();
        });
        b.Entity<LeaseBillingRecord>(e =>
        {
            e.ToTable("lease_billing");
            e.HasKey(x => x.LeaseId);
            e.Property(x => x.LeaseId).HasMaxLength(40);
            e.Property(x => x.Customer).HasMaxLength(42);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.HoldId).HasMaxLength(32);
            e.HasIndex(x => x.ClosedEpoch);
        });
        b.Entity<VestingTrancheRecord>(e =>
        {
            e.ToTable("vesting_tranches");
            e.HasKey(x => new { x.Owner, x.Epoch });
            e.Property(x => x.Owner).HasMaxLength(42);
        });
        b.Entity<SlashEventRecord>(e =>
        {
            e.ToTable("slash_events");
            e.HasKey(x => x.Id);
            e.Property(x => x.HostId).HasMaxLength(20);
            e.Property(x => x.Operator).HasMaxLength(42);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.HasIndex(x => new { x.Epoch, x.At });
        });

        b.Entity<KycSubmissionRecord>(e =>
        {
            e.ToTable("kyc_submissions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(24);
            e.Property(x => x.Address).HasMaxLength(42);
            e.Property(x => x.Kind).HasMaxLength(8);
            e.Property(x => x.Country).HasMaxLength(2);
            e.Property(x => x.ParentCountry).HasMaxLength(2);
            e.Property(x => x.State).HasMaxLength(16);
            e.Property(x => x.Provider).HasMaxLength(32);
            e.Property(x => x.Screening).HasMaxLength(8);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasIndex(x => new { x.Address, x.SubmittedAt });
            e.HasIndex(x => x.State);
        });
        b.Entity<CompliancePolicyRecord>(e =>
        {
            e.ToTable("compliance_policies");
            e.HasKey(x => x.Id);
            e.Property(x => x.Version).HasMaxLength(64);
            e.HasIndex(x => x.Version).IsUnique();
        });
        b.Entity<SanctionsListRecord>(e =>
        {
            e.ToTable("sanctions_lists");
            e.HasKey(x => x.Id);
            e.Property(x => x.Version).HasMaxLength(32);
        });
        b.Entity<WebhookEventRecord>(e =>
        {
            e.ToTable("kyc_webhook_events");
            e.HasKey(x => new { x.Provider, x.EventId });
            e.Property(x => x.Provider).HasMaxLength(32);
            e.Property(x => x.EventId).HasMaxLength(128);
        });
        b.Entity<HostLocationRecord>(e =>
        {
            e.ToTable("host_locations");
            e.HasKey(x => x.HostId);
            e.Property(x => x.HostId).HasMaxLength(32);
            e.Property(x => x.Address).HasMaxLength(45);
            e.Property(x => x.Source).HasMaxLength(16);
            e.Property(x => x.ResolvedCountry).HasMaxLength(2);
            e.Property(x => x.DeclaredCountry).HasMaxLength(2);
            e.Property(x => x.Check).HasMaxLength(16);
        });
        b.Entity<AuditRecord>(e =>
        {
            // The sequence is the chain's order and its uniqueness: two coordinators appending at once collide here,
            // and the loser retries on the new head.
            e.ToTable("audit_log");
            e.HasKey(x => x.Sequence);
            e.Property(x => x.Sequence).ValueGeneratedNever();
            e.Property(x => x.PreviousHash).HasMaxLength(64);
            e.Property(x => x.Hash).HasMaxLength(64);
            e.HasIndex(x => x.Subject);
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

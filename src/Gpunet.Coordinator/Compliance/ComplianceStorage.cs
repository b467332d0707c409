using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gpunet.Coordinator.Compliance;

/// <summary>The compliance module's tables: KYC submissions, policies, sanctions lists, vendor webhook events, host
/// locations and the audit log.</summary>
internal sealed class ComplianceStorage :
    IEntityTypeConfiguration<KycSubmissionRecord>,
    IEntityTypeConfiguration<CompliancePolicyRecord>,
    IEntityTypeConfiguration<SanctionsListRecord>,
    IEntityTypeConfiguration<WebhookEventRecord>,
    IEntityTypeConfiguration<HostLocationRecord>,
    IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<KycSubmissionRecord> e)
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
    }

    public void Configure(EntityTypeBuilder<CompliancePolicyRecord> e)
    {
        e.ToTable("compliance_policies");
        e.HasKey(x => x.Id);
        e.Property(x => x.Version).HasMaxLength(64);
        e.HasIndex(x => x.Version).IsUnique();
    }

    public void Configure(EntityTypeBuilder<SanctionsListRecord> e)
    {
        e.ToTable("sanctions_lists");
        e.HasKey(x => x.Id);
        e.Property(x => x.Version).HasMaxLength(32);
    }

    public void Configure(EntityTypeBuilder<WebhookEventRecord> e)
    {
        e.ToTable("kyc_webhook_events");
        e.HasKey(x => new { x.Provider, x.EventId });
        e.Property(x => x.Provider).HasMaxLength(32);
        e.Property(x => x.EventId).HasMaxLength(128);
    }

    public void Configure(EntityTypeBuilder<HostLocationRecord> e)
    {
        e.ToTable("host_locations");
        e.HasKey(x => x.HostId);
        e.Property(x => x.HostId).HasMaxLength(32);
        e.Property(x => x.Address).HasMaxLength(45);
        e.Property(x => x.Source).HasMaxLength(16);
        e.Property(x => x.ResolvedCountry).HasMaxLength(2);
        e.Property(x => x.DeclaredCountry).HasMaxLength(2);
        e.Property(x => x.Check).HasMaxLength(16);
    }

    public void Configure(EntityTypeBuilder<AuditRecord> e)
    {
        // The sequence is the chain's order and its uniqueness: two coordinators appending at once collide here,
        // and the loser retries on the new head.
        e.ToTable("audit_log");
        e.HasKey(x => x.Sequence);
        e.Property(x => x.Sequence).ValueGeneratedNever();
        e.Property(x => x.PreviousHash).HasMaxLength(64);
        e.Property(x => x.Hash).HasMaxLength(64);
        e.HasIndex(x => x.Subject);
    }
}

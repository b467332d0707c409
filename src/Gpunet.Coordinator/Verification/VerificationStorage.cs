using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gpunet.Coordinator.Verification;

/// <summary>The verification module's tables: checker licences, checks, their signed reports, refused reports, planted
/// hosts.</summary>
internal sealed class VerificationStorage :
    IEntityTypeConfiguration<CheckerLicenceRecord>, IEntityTypeConfiguration<CheckRecord>,
    IEntityTypeConfiguration<CheckReportRecord>, IEntityTypeConfiguration<CheckRefusalRecord>, IEntityTypeConfiguration<PlantedHostRecord>
{
    public void Configure(EntityTypeBuilder<PlantedHostRecord> e)
    {
        e.ToTable("planted_hosts");
        e.HasKey(x => x.HostId);
        e.Property(x => x.HostId).HasMaxLength(64);
        e.Property(x => x.PlantedBy).HasMaxLength(42);
        e.Property(x => x.RetiredBy).HasMaxLength(42);
        e.Property(x => x.Version).IsConcurrencyToken();
    }

    public void Configure(EntityTypeBuilder<CheckerLicenceRecord> e)
    {
        e.ToTable("checker_licences");
        e.HasKey(x => x.Address);
        e.Property(x => x.Address).HasMaxLength(42);
        e.Property(x => x.GrantedBy).HasMaxLength(42);
        e.Property(x => x.RevokedBy).HasMaxLength(42);
        e.Property(x => x.Reason).HasMaxLength(500);
        e.Property(x => x.Version).IsConcurrencyToken();
    }

    public void Configure(EntityTypeBuilder<CheckRecord> e)
    {
        e.ToTable("checks");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.HostId).HasMaxLength(64);
        e.Property(x => x.HostOperator).HasMaxLength(42);
        e.Property(x => x.Kind).HasMaxLength(16);
        e.Property(x => x.Checkers).HasMaxLength(1000);
        e.Property(x => x.Outcome).HasMaxLength(16);
        e.Property(x => x.Consequence).HasMaxLength(2000);
        e.Property(x => x.EscalatedFrom).HasMaxLength(32);
        e.Property(x => x.EscalatedTo).HasMaxLength(32);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => new { x.HostId, x.IssuedAt });
        e.HasIndex(x => new { x.Outcome, x.Deadline });
        // Settlement and track records read decisions by kind and time.
        e.HasIndex(x => new { x.Kind, x.DecidedAt });
    }

    public void Configure(EntityTypeBuilder<CheckReportRecord> e)
    {
        e.ToTable("check_reports");
        e.HasKey(x => new { x.CheckId, x.Checker });
        e.Property(x => x.CheckId).HasMaxLength(32);
        e.Property(x => x.Checker).HasMaxLength(42);
        e.Property(x => x.Reason).HasMaxLength(1000);
        e.Property(x => x.Signature).HasMaxLength(132);
        e.HasIndex(x => new { x.Checker, x.ReceivedAt });
    }

    public void Configure(EntityTypeBuilder<CheckRefusalRecord> e)
    {
        e.ToTable("check_refusals");
        e.HasKey(x => x.Id);
        e.Property(x => x.Checker).HasMaxLength(42);
        e.Property(x => x.CheckId).HasMaxLength(64);
        e.Property(x => x.Reason).HasMaxLength(500);
        e.HasIndex(x => new { x.Checker, x.At });
        // A check's page reads its refusals, and the retention sweep deletes them with it.
        e.HasIndex(x => x.CheckId);
    }
}

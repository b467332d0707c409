using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gpunet.Coordinator.Verification;

/// <summary>The verification module's tables: checker licences.</summary>
internal sealed class VerificationStorage : IEntityTypeConfiguration<CheckerLicenceRecord>
{
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
}

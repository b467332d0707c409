using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gpunet.Coordinator.Sla;

/// <summary>The SLA module's tables: declared maintenance windows, and each epoch's credit reckoning per tiered lease.</summary>
internal sealed class SlaStorage : IEntityTypeConfiguration<MaintenanceWindowRecord>, IEntityTypeConfiguration<SlaCreditRecord>
{
    public void Configure(EntityTypeBuilder<MaintenanceWindowRecord> e)
    {
        e.ToTable("maintenance_windows");
        e.HasKey(x => x.Id);
        e.Property(x => x.HostId).HasMaxLength(32);
        e.Property(x => x.Reason).HasMaxLength(500);
        e.Property(x => x.DeclaredBy).HasMaxLength(42);
        e.HasIndex(x => new { x.HostId, x.From });
        // The matcher and the report read the windows that end after a moment.
        e.HasIndex(x => x.To);
    }

    public void Configure(EntityTypeBuilder<SlaCreditRecord> e)
    {
        e.ToTable("sla_credits");
        e.HasKey(x => new { x.LeaseId, x.Epoch });
        e.Property(x => x.LeaseId).HasMaxLength(40);
        e.Property(x => x.Month).HasMaxLength(7);
        e.Property(x => x.Customer).HasMaxLength(42);
        e.Property(x => x.HostId).HasMaxLength(32);
        e.Property(x => x.Tier).HasMaxLength(32);
        e.Property(x => x.Reason).HasMaxLength(500);
        e.Property(x => x.TransferIds).HasMaxLength(200);
        e.HasIndex(x => new { x.Customer, x.Month });
        e.HasIndex(x => new { x.HostId, x.Month });
        e.HasIndex(x => x.Epoch);
    }
}

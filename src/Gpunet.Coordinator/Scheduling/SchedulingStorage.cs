using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gpunet.Coordinator.Scheduling;

/// <summary>The scheduling module's tables: each host's free capacity and the allocations placed on it.</summary>
internal sealed class SchedulingStorage :
    IEntityTypeConfiguration<HostCapacityRecord>,
    IEntityTypeConfiguration<AllocationRecord>
{
    public void Configure(EntityTypeBuilder<HostCapacityRecord> e)
    {
        e.ToTable("host_capacity");
        e.HasKey(c => c.HostId);
        e.Property(c => c.HostId).HasMaxLength(64);
        e.Property(c => c.Version).IsConcurrencyToken();
    }

    public void Configure(EntityTypeBuilder<AllocationRecord> e)
    {
        e.ToTable("allocations");
        e.HasKey(a => a.Id);
        e.Property(a => a.Id).HasMaxLength(64);
        e.Property(a => a.HostId).HasMaxLength(64);
        e.HasIndex(a => a.HostId);
    }
}

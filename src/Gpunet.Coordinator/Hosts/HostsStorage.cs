using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gpunet.Coordinator.Hosts;

/// <summary>The hosts module's tables: hosts, their GPUs, their state transitions and the change sequence other
/// coordinators follow.</summary>
internal sealed class HostsStorage :
    IEntityTypeConfiguration<HostRecord>,
    IEntityTypeConfiguration<GpuRecord>,
    IEntityTypeConfiguration<HostTransitionRecord>,
    IEntityTypeConfiguration<HostChangeRecord>
{
    public void Configure(EntityTypeBuilder<HostRecord> e)
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
    }

    public void Configure(EntityTypeBuilder<GpuRecord> e)
    {
        e.ToTable("host_gpus");
        e.HasKey(g => new { g.HostId, g.Index });
        e.Property(g => g.Uuid).HasMaxLength(64);
        // A GPU serves one container: one holder per UUID, across every coordinator on this store.
        e.HasIndex(g => g.Uuid).IsUnique();
        e.Property(g => g.Model).HasMaxLength(48);
    }

    public void Configure(EntityTypeBuilder<HostTransitionRecord> e)
    {
        e.ToTable("host_transitions");
        e.HasKey(t => t.Id);
        e.HasIndex(t => new { t.HostId, t.Id });
        // The month's and the epoch's changes are read by time (SLA summary and credits, offline time, track records):
        // without it each read scans every transition the network ever stored.
        e.HasIndex(t => t.At);
        e.Property(t => t.From).HasMaxLength(16);
        e.Property(t => t.To).HasMaxLength(16);
    }

    public void Configure(EntityTypeBuilder<HostChangeRecord> e)
    {
        e.ToTable("host_changes");
        e.HasKey(c => c.Id);
        e.Property(c => c.HostId).HasMaxLength(32);
        e.Property(c => c.Kind).HasMaxLength(16);
    }
}

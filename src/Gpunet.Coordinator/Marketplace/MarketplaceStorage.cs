using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>The marketplace module's tables: orders, leases, and each lease's history and logs.</summary>
internal sealed class MarketplaceStorage :
    IEntityTypeConfiguration<OrderRecord>,
    IEntityTypeConfiguration<LeaseRecord>,
    IEntityTypeConfiguration<LeaseEventRecord>,
    IEntityTypeConfiguration<LeaseLogRecord>
{
    public void Configure(EntityTypeBuilder<OrderRecord> e)
    {
        e.ToTable("orders");
        e.HasKey(o => o.Id);
        e.Property(o => o.Id).HasMaxLength(40);
        e.Property(o => o.Owner).HasMaxLength(42);
        e.HasIndex(o => o.Owner);
    }

    public void Configure(EntityTypeBuilder<LeaseRecord> e)
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
        e.Property(l => l.SlaTier).HasMaxLength(32).HasDefaultValue("standard");
        e.Property(l => l.Endpoint).HasMaxLength(64);
        e.Property(l => l.PriceUsdPerGpuHour).HasPrecision(12, 4);
        e.Property(l => l.Version).IsConcurrencyToken();
        // A customer's leases, and those of them waiting (the queue cap counts them on every order).
        e.HasIndex(l => new { l.Owner, l.State });
        e.HasIndex(l => l.State);
        e.HasIndex(l => l.HostId);
        e.HasIndex(l => l.OrderId);
    }

    public void Configure(EntityTypeBuilder<LeaseEventRecord> e)
    {
        e.ToTable("lease_events");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.LeaseId, x.Id });
        e.Property(x => x.State).HasMaxLength(16);
    }

    public void Configure(EntityTypeBuilder<LeaseLogRecord> e)
    {
        e.ToTable("lease_logs");
        e.HasKey(x => new { x.LeaseId, x.Attempt, x.Sequence });
        e.Property(x => x.Stream).HasMaxLength(8);
    }
}

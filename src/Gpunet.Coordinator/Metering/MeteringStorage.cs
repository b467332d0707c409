using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gpunet.Coordinator.Metering;

/// <summary>The metering module's table: the signed usage reports of each lease.</summary>
internal sealed class MeteringStorage : IEntityTypeConfiguration<LeaseUsageRecord>
{
    public void Configure(EntityTypeBuilder<LeaseUsageRecord> e)
    {
        e.ToTable("lease_usage");
        e.HasKey(x => new { x.LeaseId, x.Attempt, x.Sequence });
        e.Property(x => x.LeaseId).HasMaxLength(40);
        e.Property(x => x.HostId).HasMaxLength(32);
        e.Property(x => x.Operator).HasMaxLength(42);
        e.Property(x => x.Signature).HasMaxLength(132);
        // Only the usage no epoch has taken yet, by time: what settlement reads and marks. An epoch's marking takes its
        // rows out of the index rather than moving them within it, and the index stays the size of one epoch's usage
        // instead of every report ever stored.
        e.HasIndex(x => x.ReceivedAt).HasDatabaseName("IX_lease_usage_Pending").HasFilter("\"Epoch\" IS NULL");
    }
}

using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gpunet.Coordinator.Leadership;

/// <summary>The leadership module's table: the leader lease.</summary>
internal sealed class LeadershipStorage : IEntityTypeConfiguration<LeadershipRecord>
{
    public void Configure(EntityTypeBuilder<LeadershipRecord> e)
    {
        e.ToTable("leadership");
        e.HasKey(l => l.Name);
        e.Property(l => l.Name).HasMaxLength(32);
        e.Property(l => l.Holder).HasMaxLength(128);
    }
}

using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gpunet.Coordinator.Console;

/// <summary>The console module's table: one-time sign-in links.</summary>
internal sealed class ConsoleStorage : IEntityTypeConfiguration<ConsoleLinkRecord>
{
    public void Configure(EntityTypeBuilder<ConsoleLinkRecord> e)
    {
        e.ToTable("console_links");
        e.HasKey(x => x.CodeHash);
        e.Property(x => x.CodeHash).HasMaxLength(64);
        e.Property(x => x.Address).HasMaxLength(42);
        e.Property(x => x.Role).HasMaxLength(16);
        // A wallet's open links are bounded; the sweep deletes by expiry.
        e.HasIndex(x => new { x.Address, x.IssuedAt });
        e.HasIndex(x => x.ExpiresAt);
    }
}

using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gpunet.Coordinator.Console;

/// <summary>The console module's tables: one-time sign-in links, alert webhooks and the alerts delivered to them.</summary>
internal sealed class ConsoleStorage : IEntityTypeConfiguration<ConsoleLinkRecord>, IEntityTypeConfiguration<AlertWebhookRecord>,
    IEntityTypeConfiguration<AlertDeliveryRecord>
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

    public void Configure(EntityTypeBuilder<AlertWebhookRecord> e)
    {
        e.ToTable("alert_webhooks");
        e.HasKey(x => x.Address);
        e.Property(x => x.Address).HasMaxLength(42);
        e.Property(x => x.Url).HasMaxLength(2048);
        e.Property(x => x.Secret).HasMaxLength(64);
    }

    public void Configure(EntityTypeBuilder<AlertDeliveryRecord> e)
    {
        e.ToTable("alert_deliveries");
        e.HasKey(x => new { x.Address, x.Key });
        e.Property(x => x.Address).HasMaxLength(42);
        e.Property(x => x.Key).HasMaxLength(128);
        // Deliveries older than a week are forgotten.
        e.HasIndex(x => x.SentAt);
    }
}

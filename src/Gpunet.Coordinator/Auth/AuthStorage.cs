using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gpunet.Coordinator.Auth;

/// <summary>The access module's tables: open customer sign-in challenges and the token-protection key ring.</summary>
internal sealed class AuthStorage : IEntityTypeConfiguration<SignInChallengeRecord>, IEntityTypeConfiguration<DataProtectionKeyRecord>
{
    public void Configure(EntityTypeBuilder<SignInChallengeRecord> e)
    {
        e.ToTable("sign_in_challenges");
        e.HasKey(x => x.Nonce);
        e.Property(x => x.Nonce).HasMaxLength(128);
        e.Property(x => x.Address).HasMaxLength(42);
        e.Property(x => x.Purpose).HasMaxLength(64);
        e.Property(x => x.Network).HasMaxLength(32);
        e.Property(x => x.Source).HasMaxLength(64);
        // Limits count a client's and an address's open challenges; the sweep deletes by expiry.
        e.HasIndex(x => new { x.Source, x.Address, x.IssuedAt });
        e.HasIndex(x => x.ExpiresAt);
    }

    public void Configure(EntityTypeBuilder<DataProtectionKeyRecord> e)
    {
        e.ToTable("data_protection_keys");
        e.HasKey(x => x.Id);
        e.Property(x => x.FriendlyName).HasMaxLength(200);
    }
}

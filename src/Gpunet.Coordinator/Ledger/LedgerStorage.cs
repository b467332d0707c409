using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gpunet.Coordinator.Ledger;

/// <summary>The ledger and economics module's tables: accounts and their keys, transfers, unbonding stake, settled
/// epochs, each lease's billing, vesting tranches, slashes and each host's earnings per epoch.</summary>
internal sealed class LedgerStorage :
    IEntityTypeConfiguration<LedgerAccountRecord>,
    IEntityTypeConfiguration<LedgerAccountKeyRecord>,
    IEntityTypeConfiguration<LedgerTransferRecord>,
    IEntityTypeConfiguration<UnbondingRecord>,
    IEntityTypeConfiguration<EpochRecord>,
    IEntityTypeConfiguration<LeaseBillingRecord>,
    IEntityTypeConfiguration<VestingTrancheRecord>,
    IEntityTypeConfiguration<SlashEventRecord>,
    IEntityTypeConfiguration<HostEarningRecord>
{
    public void Configure(EntityTypeBuilder<LedgerAccountRecord> e)
    {
        e.ToTable("ledger_accounts");
        e.HasKey(a => a.Id);
        e.Property(a => a.Id).ValueGeneratedNever();
    }

    public void Configure(EntityTypeBuilder<LedgerAccountKeyRecord> e)
    {
        e.ToTable("ledger_account_keys");
        e.HasKey(a => a.Id);
        e.Property(a => a.Id).ValueGeneratedNever();
        e.Property(a => a.Key).HasMaxLength(120);
        e.HasIndex(a => a.Key).IsUnique();
    }

    public void Configure(EntityTypeBuilder<LedgerTransferRecord> e)
    {
        e.ToTable("ledger_transfers");
        e.HasKey(t => new { t.IdHigh, t.IdLow });
        // No index by account: two of them cost two thirds of the write rate (measured: 160,000 → 55,000
        // transfers/s); the ledger service keeps each account's history in memory instead.
    }

    public void Configure(EntityTypeBuilder<UnbondingRecord> e)
    {
        e.ToTable("ledger_unbonding");
        e.HasKey(x => x.TransferId);
        e.Property(x => x.TransferId).HasMaxLength(32);
        e.Property(x => x.Owner).HasMaxLength(42);
        e.Property(x => x.HostId).HasMaxLength(20);
        e.HasIndex(x => new { x.ReleasedEpoch, x.ReleaseAt });
    }

    public void Configure(EntityTypeBuilder<EpochRecord> e)
    {
        e.ToTable("epochs");
        e.HasKey(x => x.Epoch);
        e.Property(x => x.Epoch).ValueGeneratedNever();
    }

    public void Configure(EntityTypeBuilder<LeaseBillingRecord> e)
    {
        e.ToTable("lease_billing");
        e.HasKey(x => x.LeaseId);
        e.Property(x => x.LeaseId).HasMaxLength(40);
        e.Property(x => x.Customer).HasMaxLength(42);
        e.Property(x => x.Kind).HasMaxLength(16);
        e.Property(x => x.HoldId).HasMaxLength(32);
        e.HasIndex(x => x.ClosedEpoch);
    }

    public void Configure(EntityTypeBuilder<VestingTrancheRecord> e)
    {
        e.ToTable("vesting_tranches");
        e.HasKey(x => new { x.Owner, x.Epoch });
        e.Property(x => x.Owner).HasMaxLength(42);
    }

    public void Configure(EntityTypeBuilder<SlashEventRecord> e)
    {
        e.ToTable("slash_events");
        e.HasKey(x => x.Id);
        e.Property(x => x.HostId).HasMaxLength(20);
        e.Property(x => x.Operator).HasMaxLength(42);
        e.Property(x => x.Kind).HasMaxLength(16);
        e.HasIndex(x => new { x.Epoch, x.At });
    }

    public void Configure(EntityTypeBuilder<HostEarningRecord> e)
    {
        e.ToTable("host_earnings");
        // A host's epochs, newest first, are one range of the key.
        e.HasKey(x => new { x.HostId, x.Epoch });
        e.Property(x => x.HostId).HasMaxLength(20);
        e.Property(x => x.Operator).HasMaxLength(42);
    }
}

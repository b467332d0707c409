using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Ledger;

/// <summary>What makes up a wallet's unbonding and vesting balances: its unbonding entries not yet released and its
/// vesting tranches, each with when it becomes available.</summary>
internal static class WalletSchedules
{
    /// <summary>The most entries of each schedule a wallet view lists (a devnet's short epochs make many tranches).</summary>
    public const int MaxEntries = ShortLists.ScheduleEntries;

    public static async Task<(List<UnbondingEntryView> Unbonding, List<VestingTrancheView> Vesting)> ReadAsync(
        Address owner, IDbContextFactory<GpunetDb> dbs, EconomicsOptions economics, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var unbonding = await db.Unbonding.AsNoTracking().Where(u => u.Owner == owner.Value && u.ReleasedEpoch == null)
            .OrderBy(u => u.ReleaseAt).ThenBy(u => u.TransferId).Take(MaxEntries).ToListAsync(ct);
        var tranches = await db.VestingTranches.AsNoTracking().Where(t => t.Owner == owner.Value)
            .OrderBy(t => t.Epoch).Take(MaxEntries).ToListAsync(ct);
        return (
            [.. unbonding.Select(u => new UnbondingEntryView(u.HostId, TokenAmount.FromBaseUnits(u.Amount).ToString(), u.CreatedAt, u.ReleaseAt))],
            [.. tranches.Select(t =>
            {
                var tranche = new VestingTranche(owner, t.Epoch, TokenAmount.FromBaseUnits(t.Amount), TokenAmount.FromBaseUnits(t.Released), t.Start);
                return new VestingTrancheView(t.Epoch, tranche.Amount.ToString(), tranche.VestedAt(now, economics.VestingPeriod).ToString(), t.Start,
                    t.Start + economics.VestingPeriod);
            })]);
    }
}

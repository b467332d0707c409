using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Ledger;

/// <summary>A settlement's rows in the coordinator's database, written in the ledger's transaction: the epoch's row
/// and its SLA credit rows, the usage and slash events it took, the released unbonding entries, the vesting tranches it changed, each host's earnings and the leases' billing.</summary>
internal sealed class StoredSettlementStore : ISettlementStore
{
    public SettlementCommit Commit(SettlementWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var epoch = write.Record.Epoch;
        var end = write.Record.End;
        return new SettlementCommit(
            async (connection, tx, ct) =>
            {
                await using var w = GpunetDb.On(connection, tx);
                w.Epochs.Add(write.Record);
                w.SlaCredits.AddRange(write.Credits);
                await w.SaveChangesAsync(ct); // the epoch's key: a second settlement of it fails here, and writes nothing
                await w.LeaseUsage.Where(u => u.Epoch == null && u.ReceivedAt < end).ExecuteUpdateAsync(s => s.SetProperty(u => u.Epoch, epoch), ct);
                // In slices: each id is a parameter, and SQLite takes at most 32,766.
                foreach (var slice in write.SlashIds.Chunk(10_000))
                    await w.SlashEvents.Where(s => slice.Contains(s.Id)).ExecuteUpdateAsync(s => s.SetProperty(x => x.Epoch, epoch), ct);
                foreach (var slice in write.ReleasedUnbonding.Chunk(10_000))
                    await w.Unbonding.Where(u => slice.Contains(u.TransferId)).ExecuteUpdateAsync(s => s.SetProperty(x => x.ReleasedEpoch, epoch), ct);
                await TrancheRowWriter.WriteAsync(connection, tx, write.Tranches, ct);
                await HostEarningRowWriter.WriteAsync(connection, tx, epoch, write.Earnings, ct);
            },
            async (connection, tx, results, ct) =>
            {
                // A lease goes on with its new hold; one whose customer could not cover it ends (after the commit).
                write.TakeHolds(results);
                await BillingRowWriter.UpdateAsync(connection, tx, [.. write.Billing.Values], ct);
            });
    }
}

using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Sla;

/// <summary>An SLA credit transfer's reason for the wallet history: the lease it was for and the breach, from the row
/// settlement wrote with it.</summary>
internal sealed class SlaCreditReasons(IDbContextFactory<GpunetDb> dbFactory) : ITransferReasons
{
    public async Task<IReadOnlyDictionary<TransferId, string>> ReasonsAsync(IReadOnlyList<TransferId> ids, CancellationToken ct)
    {
        var reasons = new Dictionary<TransferId, string>();
        if (ids.Count == 0)
            return reasons;
        // Settlement ids carry their epoch in the high word's low 48 bits: read only those epochs' rows.
        var epochs = ids.Select(EpochSettlementPlanner.EpochOf).OfType<long>().Distinct().ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.SlaCredits.AsNoTracking().Where(c => epochs.Contains(c.Epoch) && c.TransferIds != "")
            .Select(c => new { c.LeaseId, c.TransferIds, c.Reason }).ToListAsync(ct);
        var wanted = ids.ToDictionary(id => id.ToString(), id => id, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            foreach (var text in row.TransferIds.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (wanted.TryGetValue(text, out var id))
                    reasons[id] = $"SLA credit for {row.LeaseId}: {row.Reason}";
            }
        }

        return reasons;
    }
}

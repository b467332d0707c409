using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Forgets hosts' earnings per epoch (<c>host_earnings</c>, one row per paid host an epoch) once the epoch ended
/// more than <see cref="LedgerOptions.HostEarningsRetention"/> ago; the ledger's transfers keep what was paid.</summary>
/// <remarks>Run by the settling coordinator after each settlement (<see cref="EpochService"/>), so at most once an
/// epoch. The rows' key leads with the host, so the delete scans the table once; an epoch's rows go together. Only the
/// settlement loop calls it: not thread-safe.</remarks>
internal sealed class HostEarningsRetention(IDbContextFactory<GpunetDb> dbFactory, EconomicsOptions economics, IOptions<LedgerOptions> options, TimeProvider time)
    : IEarningsRetention
{
    private long _sweptBelow = long.MinValue;

    /// <inheritdoc />
    /// <remarks>The epochs that ended at or before now − the retention.</remarks>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        // Epochs before the one that holds the cutoff ended at or before it.
        var below = economics.EpochOf(time.GetUtcNow() - options.Value.HostEarningsRetention);
        if (below <= _sweptBelow)
            return 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var deleted = await db.HostEarnings.Where(e => e.Epoch < below).ExecuteDeleteAsync(ct);
        _sweptBelow = below;
        return deleted;
    }
}

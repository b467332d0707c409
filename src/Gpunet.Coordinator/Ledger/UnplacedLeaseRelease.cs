using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Gives back at once what a lease that ended before it was ever placed took from its customer (nothing ran,
/// so nothing is owed: <see cref="OrderFunding.ReleaseUnplaced"/>), and closes its billing in the same transaction.</summary>
/// <remarks>Exactly once: the transfer's id is fixed per lease, and a closed billing is neither released again nor
/// settled. A settlement that renews the hold while the release runs voids the hold read here: the release reads the
/// billing again and gives back the renewed one. A coordinator stopped between storing the end and the release gives
/// it back when it starts again, before it serves (<see cref="StartAsync"/>); a failure otherwise leaves the money held
/// until the next settlement, which releases it too.</remarks>
internal sealed partial class UnplacedLeaseRelease(LeaseStore store, LedgerService ledger, EconomicsOptions economics, ILogger<UnplacedLeaseRelease> log)
    : IHostedService
{
    /// <summary>Tries per release: a settlement renews a hold at most once per epoch, so a second read sees the renewed one.</summary>
    private const int Tries = 3;

    /// <summary>Releases <paramref name="leaseId"/>'s hold or escrow, which ended unplaced at <paramref name="now"/>.</summary>
    public async Task ReleaseAsync(string leaseId, DateTimeOffset now)
    {
        try
        {
            for (var attempt = 1; attempt <= Tries; attempt++)
            {
                if (await TryReleaseAsync(leaseId, now) is not { } refused)
                    return;
                if (attempt == Tries)
                    LogRefused(log, leaseId, refused.ToString());
            }
        }
#pragma warning disable CA1031 // the money stays held until the next settlement releases it
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(log, e, leaseId);
        }
    }

    /// <summary>Releases what every lease that ended unplaced still holds: the end was stored and a coordinator
    /// stopped before it gave the money back. Runs once the ledger has loaded, before the coordinator serves.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        List<(string LeaseId, DateTimeOffset EndedAt)> left;
        try
        {
            left = await store.EndedUnplacedUnreleasedAsync(cancellationToken);
        }
#pragma warning disable CA1031 // the money stays held until the next settlement releases it
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogLeftoversFailed(log, e);
            return;
        }

        foreach (var (leaseId, endedAt) in left)
            await ReleaseAsync(leaseId, endedAt);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // One try: null once released (or nothing to release), else the ledger's refusal.
    private async Task<TransferResult?> TryReleaseAsync(string leaseId, DateTimeOffset now)
    {
        var billing = await store.BillingAsync(leaseId, CancellationToken.None);
        if (billing is null || billing.ClosedEpoch is not null)
            return null; // an operator's order (not billed), or already closed
        var escrow = billing.Kind == "reserve"
            ? (await ledger.AccountsAsync([AccountKey.LeaseEscrow(leaseId)], CancellationToken.None))[0]?.Balance ?? TokenAmount.Zero
            : TokenAmount.Zero;
        if (OrderFunding.ReleaseUnplaced(billing, escrow) is not { } release)
            return null;
        var epoch = economics.EpochOf(now);
        var results = await ledger.SubmitAsync([release], async (connection, tx, r, token) =>
        {
            if (r[0] != TransferResult.Ok)
                return;
            await using var db = GpunetDb.On(connection, tx);
            await LeaseStore.CloseBillingAsync(db, leaseId, epoch, token);
        }, CancellationToken.None);
        // Exists: another coordinator gave it back (and closed the billing in the same transaction).
        return results[0] is TransferResult.Ok or TransferResult.Exists ? null : results[0];
    }

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Lease {LeaseId} ended unplaced; returning its hold was refused ({Result}); the next settlement returns it")]
    private static partial void LogRefused(ILogger logger, string leaseId, string result);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Lease {LeaseId} ended unplaced; returning its hold failed; the next settlement returns it")]
    private static partial void LogFailed(ILogger logger, Exception e, string leaseId);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Warning, Message = "Finding leases that ended unplaced with their hold still taken failed; the next settlement returns what they hold")]
    private static partial void LogLeftoversFailed(ILogger logger, Exception e);
}

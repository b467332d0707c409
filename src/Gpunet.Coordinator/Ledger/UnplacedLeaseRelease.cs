using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Gives back at once what a lease that ended before it was ever placed took from its customer (nothing ran,
/// so nothing is owed: <see cref="OrderFunding.ReleaseUnplaced"/>), and closes its billing in the same transaction.</summary>
/// <remarks>A failure leaves the money held until the next settlement, which releases it too; the transfer's id is
/// fixed per lease, so a retry moves it once.</remarks>
internal sealed partial class UnplacedLeaseRelease(LeaseStore store, LedgerService ledger, EconomicsOptions economics, ILogger<UnplacedLeaseRelease> log)
{
    /// <summary>Releases <paramref name="leaseId"/>'s hold or escrow, which ended unplaced at <paramref name="now"/>.</summary>
    public async Task ReleaseAsync(string leaseId, DateTimeOffset now)
    {
        try
        {
            var billing = await store.BillingAsync(leaseId, CancellationToken.None);
            if (billing is null || billing.ClosedEpoch is not null)
                return; // an operator's order (not billed), or already closed
            var escrow = billing.Kind == "reserve"
                ? (await ledger.AccountsAsync([AccountKey.LeaseEscrow(leaseId)], CancellationToken.None))[0]?.Balance ?? TokenAmount.Zero
                : TokenAmount.Zero;
            if (OrderFunding.ReleaseUnplaced(billing, escrow) is not { } release)
                return;
            var epoch = economics.EpochOf(now);
            var results = await ledger.SubmitAsync([release], async (connection, tx, r, token) =>
            {
                if (r[0] != TransferResult.Ok)
                    return;
                await using var db = GpunetDb.On(connection, tx);
                await LeaseStore.CloseBillingAsync(db, leaseId, epoch, token);
            }, CancellationToken.None);
            if (results[0] != TransferResult.Ok)
                LogRefused(log, leaseId, results[0].ToString());
        }
#pragma warning disable CA1031 // the money stays held until the next settlement releases it
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(log, e, leaseId);
        }
    }

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Lease {LeaseId} ended unplaced; returning its hold was refused ({Result}); the next settlement returns it")]
    private static partial void LogRefused(ILogger logger, string leaseId, string result);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Lease {LeaseId} ended unplaced; returning its hold failed; the next settlement returns it")]
    private static partial void LogFailed(ILogger logger, Exception e, string leaseId);
}

using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Everything one epoch's settlement writes besides its transfers.</summary>
/// <param name="Record">The epoch's row: its key makes a second settlement of it fail.</param>
/// <param name="SlashIds">The slash events it took.</param>
/// <param name="ReleasedUnbonding">The unbonding entries (their transfer ids) it released.</param>
/// <param name="Tranches">The vesting tranches it adds, changes and removes (the others stay as stored).</param>
/// <param name="Billing">Every open lease's billing after it, by lease id.</param>
/// <param name="NewHolds">The on-demand holds it places, each with its transfer's index in the settlement.</param>
/// <param name="Credits">The SLA credits it reckoned and paid, one row per lease.</param>
/// <param name="Earnings">What each host earned and gave up in the epoch (<c>host_earnings</c>).</param>
internal sealed record SettlementWrite(
    EpochRecord Record,
    IReadOnlyList<long> SlashIds,
    IReadOnlyList<string> ReleasedUnbonding,
    VestingChanges Tranches,
    IReadOnlyDictionary<string, LeaseBillingRecord> Billing,
    IReadOnlyList<(LeaseHold Hold, int Index)> NewHolds,
    IReadOnlyList<SlaCreditRecord> Credits,
    IReadOnlyList<HostEarning> Earnings)
{
    private readonly List<string> _unfunded = [];

    /// <summary>Leases whose customer could not cover the next hold (known once <see cref="TakeHolds"/> ran): they end
    /// after the commit.</summary>
    public IReadOnlyList<string> Unfunded => _unfunded;

    /// <summary>Records on each lease's billing the hold the ledger took; a lease whose hold was refused goes on the
    /// <see cref="Unfunded"/> list.</summary>
    public void TakeHolds(TransferResult[] results)
    {
        ArgumentNullException.ThrowIfNull(results);
        _unfunded.Clear();
        foreach (var (hold, index) in NewHolds)
        {
            var after = Billing[hold.LeaseId];
            if (results[index] == TransferResult.Ok)
            {
                after.HoldId = hold.Id.ToString();
                after.HoldAmount = hold.Amount.BaseUnits;
            }
            else
            {
                // A batch decided again (another coordinator wrote meanwhile) may refuse what it took the first time.
                after.HoldId = null;
                after.HoldAmount = 0;
                _unfunded.Add(hold.LeaseId);
            }
        }
    }
}

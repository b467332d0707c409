using Gpunet.Core.Identity;

namespace Gpunet.Core.Economics;

/// <summary>What a store of vesting tranches must write after a settlement, when it keeps each tranche as last written
/// and what it has released is computed from time (<see cref="VestingTranche.AsOf"/>): the epoch's new tranches, the
/// tranches whose amount changed (slashed, or an SLA credit taken from them), and the tranches fully released.</summary>
/// <remarks>Only these rows change: an epoch's settlement writes about one new tranche per operator that earned, where
/// rewriting every tranche wrote up to 45 per operator (one per epoch of the vesting period) every epoch.</remarks>
/// <param name="Inserted">The epoch's new tranches.</param>
/// <param name="Updated">Earlier tranches whose amount changed: their amount and what they have released now.</param>
/// <param name="Removed">Earlier tranches fully released (owner, epoch that earned it).</param>
public sealed record VestingChanges(
    IReadOnlyList<VestingTranche> Inserted,
    IReadOnlyList<VestingTranche> Updated,
    IReadOnlyList<(Address Owner, long Epoch)> Removed)
{
    /// <summary>The changes from <paramref name="before"/> (the planner's input tranches) to <paramref name="after"/>
    /// (its <see cref="EpochSettlement.Tranches"/>) for the settlement of <paramref name="epoch"/>.</summary>
    public static VestingChanges Between(IReadOnlyList<VestingTranche> before, IReadOnlyList<VestingTranche> after, long epoch)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var amounts = new Dictionary<(Address, long), Ledger.TokenAmount>(before.Count);
        foreach (var t in before)
            amounts[(t.Owner, t.Epoch)] = t.Amount;
        var inserted = new List<VestingTranche>();
        var updated = new List<VestingTranche>();
        foreach (var t in after)
        {
            if (t.Epoch == epoch && !amounts.ContainsKey((t.Owner, t.Epoch)))
                inserted.Add(t);
            else if (!amounts.Remove((t.Owner, t.Epoch), out var was) || was != t.Amount)
                updated.Add(t);
        }

        // What is left of the tranches before was dropped: fully released.
        return new VestingChanges(inserted, updated, [.. amounts.Keys]);
    }
}

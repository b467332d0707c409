using System.Runtime.InteropServices;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>Takes what a container owes (a slash, an SLA credit) as the slashing rules say: from its operator's
/// unreleased vesting, newest tranche first (this epoch's included), then from its stake, never more than either holds.
/// Tracks the stake left of every container it took from, so a container that owes twice in an epoch pays from what is
/// left.</summary>
internal sealed class HostForfeits(HostEpoch[] hosts, long[] keys, Dictionary<Address, List<VestingTranche>> tranches)
{
    private readonly Dictionary<int, TokenAmount> _stake = [];

    /// <summary>The container's index in the epoch's (sorted) containers; negative when it is not among them.</summary>
    public int IndexOf(HostId host) => Array.BinarySearch(keys, EpochSettlementPlanner.HostKey(host));

    /// <summary>Takes up to <paramref name="due"/>: first from <paramref name="owner"/>'s vesting, then from the stake of
    /// the container at <paramref name="index"/> (none when negative).</summary>
    public (TokenAmount FromVesting, TokenAmount FromStake) Take(int index, Address owner, TokenAmount due)
    {
        var fromVesting = TokenAmount.Zero;
        if (tranches.TryGetValue(owner, out var list))
        {
            for (var i = list.Count - 1; i >= 0 && fromVesting < due; i--)
            {
                var take = Min(list[i].Unreleased, due - fromVesting);
                if (!take.IsZero)
                {
                    list[i] = list[i] with { Amount = list[i].Amount - take };
                    fromVesting += take;
                }
            }
        }

        if (index < 0)
            return (fromVesting, TokenAmount.Zero);
        ref var staked = ref CollectionsMarshal.GetValueRefOrAddDefault(_stake, index, out var seen);
        if (!seen)
            staked = hosts[index].Staked;
        var fromStake = Min(staked, due - fromVesting);
        staked -= fromStake;
        return (fromVesting, fromStake);
    }

    /// <summary>The stake left of the container at <paramref name="index"/> after what was taken.</summary>
    public TokenAmount StakeLeft(int index) => _stake.TryGetValue(index, out var left) ? left : hosts[index].Staked;

    private static TokenAmount Min(TokenAmount a, TokenAmount b) => a < b ? a : b;
}

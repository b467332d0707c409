using System.Runtime.InteropServices;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>Sums, while an epoch is planned, what each container earned and gave up: the rows of
/// <see cref="EpochSettlement.Earnings"/>.</summary>
/// <remarks>One slot per container of the epoch, by its index in the sorted containers (found by binary search of
/// <paramref name="keys"/>), so the rows come out in host id order with no hashing or sort; a lease, slash or credit of
/// a container not among them (not expected) is summed apart.</remarks>
internal sealed class HostEarnings(HostEpoch[] hosts, long[] keys)
{
    private struct Sums
    {
        public long Capacity, Delivery, Fees, Slashed, Credited;

        public readonly bool Any => (Capacity | Delivery | Fees | Slashed | Credited) != 0;
    }

    private sealed class Other(Address owner)
    {
        public readonly Address Operator = owner;
        public Sums Sums;
    }

    private readonly Sums[] _sums = new Sums[hosts.Length];
    private Dictionary<HostId, Other>? _others;

    public void Reward(HostId host, Address owner, TokenAmount capacity, TokenAmount delivery)
    {
        ref var s = ref Of(host, owner);
        s.Capacity = checked(s.Capacity + capacity.BaseUnits);
        s.Delivery = checked(s.Delivery + delivery.BaseUnits);
    }

    public void Fee(HostId host, Address owner, TokenAmount fee)
    {
        ref var s = ref Of(host, owner);
        s.Fees = checked(s.Fees + fee.BaseUnits);
    }

    public void Slash(HostId host, Address owner, TokenAmount taken)
    {
        ref var s = ref Of(host, owner);
        s.Slashed = checked(s.Slashed + taken.BaseUnits);
    }

    public void Credit(HostId host, Address owner, TokenAmount paid)
    {
        ref var s = ref Of(host, owner);
        s.Credited = checked(s.Credited + paid.BaseUnits);
    }

    /// <summary>Every container with something to show, by host id.</summary>
    public List<HostEarning> ToList()
    {
        var list = new List<HostEarning>();
        for (var i = 0; i < _sums.Length; i++)
        {
            if (_sums[i].Any)
                list.Add(Row(hosts[i].Host, hosts[i].Operator, _sums[i]));
        }

        if (_others is null)
            return list;
        foreach (var (host, other) in _others)
        {
            if (other.Sums.Any)
                list.Add(Row(host, other.Operator, other.Sums));
        }

        // Host ids sort as their keys do (EpochSettlementPlanner.HostKey).
        list.Sort(static (a, b) => string.CompareOrdinal(a.Host.Value, b.Host.Value));
        return list;
    }

    private static HostEarning Row(HostId host, Address owner, Sums s) => new(host, owner, TokenAmount.FromBaseUnits(s.Capacity),
        TokenAmount.FromBaseUnits(s.Delivery), TokenAmount.FromBaseUnits(s.Fees), TokenAmount.FromBaseUnits(s.Slashed), TokenAmount.FromBaseUnits(s.Credited));

    private ref Sums Of(HostId host, Address owner)
    {
        var i = Array.BinarySearch(keys, EpochSettlementPlanner.HostKey(host));
        if (i >= 0)
            return ref _sums[i];
        _others ??= [];
        ref var other = ref CollectionsMarshal.GetValueRefOrAddDefault(_others, host, out _);
        other ??= new Other(owner);
        return ref other.Sums;
    }
}

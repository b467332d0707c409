using System.Runtime.InteropServices;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>Sums, while an epoch is planned, what each container earned and gave up: the rows of
/// <see cref="EpochSettlement.Earnings"/>.</summary>
internal sealed class HostEarnings
{
    private struct Sums
    {
        public Address Operator;
        public long Capacity, Delivery, Fees, Slashed, Credited;
    }

    private readonly Dictionary<HostId, Sums> _sums = [];

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
        var list = new List<HostEarning>(_sums.Count);
        foreach (var (host, s) in _sums)
        {
            if ((s.Capacity | s.Delivery | s.Fees | s.Slashed | s.Credited) != 0)
            {
                list.Add(new HostEarning(host, s.Operator, TokenAmount.FromBaseUnits(s.Capacity), TokenAmount.FromBaseUnits(s.Delivery),
                    TokenAmount.FromBaseUnits(s.Fees), TokenAmount.FromBaseUnits(s.Slashed), TokenAmount.FromBaseUnits(s.Credited)));
            }
        }

        list.Sort(static (a, b) => string.CompareOrdinal(a.Host.Value, b.Host.Value));
        return list;
    }

    private ref Sums Of(HostId host, Address owner)
    {
        ref var s = ref CollectionsMarshal.GetValueRefOrAddDefault(_sums, host, out var seen);
        if (!seen)
            s.Operator = owner;
        return ref s;
    }
}

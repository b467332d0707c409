using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Marketplace;

/// <summary>The band indexes of the last few distinct order signatures (request shape, models, places, price limit,
/// latency point and limit); the least recently used goes first.</summary>
/// <remarks>Not thread-safe: one per matcher.</remarks>
internal sealed class BandIndexes(HostOffers offers, ClusterCapacity cluster)
{
    // Distinct order signatures whose index is kept.
    private const int MaxIndexes = 16;

    private readonly List<BandIndex> _indexes = [];
    private readonly List<int> _changed = [];
    private long _useStamp;

    /// <summary>The order's index, up to date: rebuilt when an offer or availability changed, else its fit bits
    /// brought up to date from the cluster's journal. The offers' places must be allowed for this order already.</summary>
    public BandIndex For(in MatchFilter f)
    {
        var places = offers.AllowedPlaces;
        BandIndex? index = null;
        foreach (var x in _indexes)
        {
            if (x.IsFor(f, places))
            {
                index = x;
                break;
            }
        }

        if (index is null)
        {
            if (_indexes.Count < MaxIndexes)
            {
                index = new BandIndex();
                _indexes.Add(index);
            }
            else
            {
                index = _indexes.MinBy(x => x.LastUsed)!;
            }

            index.Reset(f, places);
        }

        index.LastUsed = ++_useStamp;
        if (!index.IsCurrent(offers))
            index.Rebuild(offers, cluster, f);
        else
            index.Refresh(cluster, f, _changed);
        return index;
    }
}

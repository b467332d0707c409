using System.Numerics;
using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Marketplace;

/// <summary>One order signature's nodes: those that pass the offer filters (available, place, price, round trip),
/// sorted by price (then experience) and by experience, with a bit per position that says whether the node fits
/// the order's request now.</summary>
/// <remarks>Rebuilt when an offer or an availability changed (<see cref="IsCurrent"/>); otherwise its fit bits are
/// brought up to date from the cluster's journal of changed nodes (<see cref="Refresh"/>). Positions are in sort
/// order; nodes are the matcher's. Not thread-safe.</remarks>
internal sealed class BandIndex
{
    private bool[] _placeAllowed = [];
    private PlacementRequest? _request;
    private ulong _mask;
    private decimal _maxPrice;
    private GeoVector _from;
    private double _maxLatencyMs;

    private long _offerStamp = -1;
    private int _nodes;
    private int _eligible;
    private long _cursor;
    private bool _maskValid;
    private RankingBand _maskBand;
    private ulong[] _bandMask = [];

    private int[] _byPrice = [];
    private int[] _priceRank = [];
    private int[] _nextLevel = [];
    private ulong[] _fitsByPrice = [];
    private int[] _byExperience = [];
    private int[] _experienceRank = [];
    private ulong[] _fitsByExperience = [];
    private double[] _haversine = [];
    private double[] _experience = [];

    /// <summary>Whether the signature has a point to measure round trips from.</summary>
    public bool Measured { get; private set; }

    /// <summary>When the matcher last used this index, for dropping the least recently used.</summary>
    public long LastUsed { get; set; }

    /// <summary>The node at this position by price.</summary>
    public int NodeByPrice(int pos) => _byPrice[pos];

    /// <summary>The node at this position by experience.</summary>
    public int NodeByExperience(int pos) => _byExperience[pos];

    /// <summary>The first position by price at or after <paramref name="from"/> whose node fits; -1 when there is none.</summary>
    public int NextFitByPrice(int from) => NextSet(_fitsByPrice, from);

    /// <summary>The first position by experience at or after <paramref name="from"/> whose node fits; -1 when there is none.</summary>
    public int NextFitByExperience(int from) => NextSet(_fitsByExperience, from);

    /// <summary>The first position by price with another price (as a double or as a decimal) than this one's.</summary>
    public int NextPriceLevel(int pos) => _nextLevel[pos];

    /// <summary>The node's haversine to the signature's point (0 when not measured).</summary>
    public double Haversine(int node) => Measured ? _haversine[node] : 0;

    /// <summary>Whether the node passes the offer filters and fits now.</summary>
    public bool Fits(int node)
    {
        if ((uint)node >= (uint)_priceRank.Length)
            return false;
        var pos = _priceRank[node];
        return pos >= 0 && (_fitsByPrice[pos >> 6] & (1UL << pos)) != 0;
    }

    /// <summary>Whether this index is for the filter's signature and the places it allows.</summary>
    public bool IsFor(in MatchFilter f, ReadOnlySpan<bool> placeAllowed) =>
        _request is { } r && r.CpuMilli == f.Request.CpuMilli && r.MemoryMib == f.Request.MemoryMib && r.GpuCount == f.Request.GpuCount
        && r.GpuMilli == f.Request.GpuMilli && _mask == f.Mask && _maxPrice == f.MaxPrice && Measured == f.Measured
        && _from == f.From && _maxLatencyMs.Equals(f.MaxLatencyMs) && placeAllowed.SequenceEqual(_placeAllowed);

    /// <summary>Makes this the index of the filter's signature, to be rebuilt before use.</summary>
    public void Reset(in MatchFilter f, ReadOnlySpan<bool> placeAllowed)
    {
        (_request, _mask, _maxPrice, Measured, _from, _maxLatencyMs) = (f.Request, f.Mask, f.MaxPrice, f.Measured, f.From, f.MaxLatencyMs);
        _placeAllowed = placeAllowed.ToArray();
        _offerStamp = -1;
    }

    /// <summary>Whether the offers have not changed since the index was built.</summary>
    public bool IsCurrent(HostOffers offers) => _offerStamp == offers.Stamp && _nodes == offers.Count;

    /// <summary>Brings the fit bits up to date from the cluster's journal (or tests every node again when the journal
    /// does not reach back). <paramref name="changed"/> is scratch.</summary>
    public void Refresh(ClusterCapacity cluster, in MatchFilter f, List<int> changed)
    {
        changed.Clear();
        if (!cluster.TryChangedSince(_cursor, changed))
        {
            for (var pos = 0; pos < _eligible; pos++)
                SetFits(_byPrice[pos], cluster.Fits(_byPrice[pos], f.Request, f.Mask));
        }
        else
        {
            foreach (var node in changed)
            {
                if (node < _nodes && _priceRank[node] >= 0)
                    SetFits(node, cluster.Fits(node, f.Request, f.Mask));
            }
        }

        _cursor = cluster.Changes;
    }

    /// <summary>Sorts the nodes that pass the offer filters and tests which of them fit.</summary>
    public void Rebuild(HostOffers offers, ClusterCapacity cluster, in MatchFilter f)
    {
        var n = offers.Count;
        var hosts = offers.Hosts;
        var placeAllowed = offers.PlaceAllowed;
        Resize(n);
        var eligible = 0;
        for (var i = 0; i < n; i++)
        {
            ref readonly var h = ref hosts[i];
            _priceRank[i] = -1;
            _experienceRank[i] = -1;
            if (!h.Available || !placeAllowed[h.Place] || f.TooDear(h))
                continue;
            _haversine[i] = f.Measured ? LatencyModel.Haversine(h.Position, f.From) : 0;
            if (f.Measured && f.TooFar(_haversine[i]))
                continue;
            _byPrice[eligible] = i;
            _byExperience[eligible] = i;
            // Experience: the distance, or without a point the reputation, best first.
            _experience[i] = f.Measured ? _haversine[i] : -h.Reputation;
            eligible++;
        }

        var experience = _experience;
        _byPrice.AsSpan(0, eligible).Sort((a, b) =>
        {
            var c = hosts[a].PriceValue.CompareTo(hosts[b].PriceValue);
            if (c == 0)
                c = hosts[a].Price.CompareTo(hosts[b].Price);
            if (c == 0)
                c = experience[a].CompareTo(experience[b]);
            return c != 0 ? c : a.CompareTo(b);
        });
        _byExperience.AsSpan(0, eligible).Sort((a, b) =>
        {
            var c = experience[a].CompareTo(experience[b]);
            return c != 0 ? c : a.CompareTo(b);
        });
        for (var pos = eligible - 1; pos >= 0; pos--)
        {
            var i = _byPrice[pos];
            _priceRank[i] = pos;
            _experienceRank[_byExperience[pos]] = pos;
            var next = pos + 1;
            _nextLevel[pos] = next < eligible && hosts[_byPrice[next]].PriceValue == hosts[i].PriceValue && hosts[_byPrice[next]].Price == hosts[i].Price
                ? _nextLevel[next]
                : next;
        }

        _eligible = eligible;
        _maskValid = false;
        Array.Clear(_fitsByPrice);
        Array.Clear(_fitsByExperience);
        for (var pos = 0; pos < eligible; pos++)
            SetFits(_byPrice[pos], cluster.Fits(_byPrice[pos], f.Request, f.Mask));
        _offerStamp = offers.Stamp;
        _nodes = n;
        _cursor = cluster.Changes;
    }

    /// <summary>A bit per node whose key is within the band, whether it fits or not: a superset of the band a masked
    /// policy tests before the band's own test. Kept while the band's bounds hold, which they do over many matches.</summary>
    public ReadOnlySpan<ulong> MaskFor(in RankingBand band, MatchHost[] hosts)
    {
        if (_maskValid && _maskBand == band)
            return _bandMask;
        Array.Clear(_bandMask);
        for (var pos = 0; pos < _eligible; pos++)
        {
            var node = _byPrice[pos];
            if (band.Holds(hosts[node], Haversine(node), Measured))
                _bandMask[node >> 6] |= 1UL << node;
        }

        (_maskBand, _maskValid) = (band, true);
        return _bandMask;
    }

    private void Resize(int nodes)
    {
        if (_byPrice.Length >= nodes && _byPrice.Length > 0)
            return;
        var size = Math.Max(4, nodes);
        (_byPrice, _priceRank, _nextLevel, _byExperience, _experienceRank) = (new int[size], new int[size], new int[size], new int[size], new int[size]);
        (_haversine, _experience) = (new double[size], new double[size]);
        (_fitsByPrice, _fitsByExperience, _bandMask) = (new ulong[(size + 63) / 64], new ulong[(size + 63) / 64], new ulong[(size + 63) / 64]);
    }

    private void SetFits(int node, bool fits)
    {
        Set(_fitsByPrice, _priceRank[node], fits);
        Set(_fitsByExperience, _experienceRank[node], fits);
    }

    private static void Set(ulong[] bits, int pos, bool on)
    {
        if (on)
            bits[pos >> 6] |= 1UL << pos;
        else
            bits[pos >> 6] &= ~(1UL << pos);
    }

    // The first set bit at or after `from`; -1 when there is none.
    private static int NextSet(ulong[] bits, int from)
    {
        var word = from >> 6;
        if ((uint)word >= (uint)bits.Length)
            return -1;
        var w = bits[word] & (ulong.MaxValue << (from & 63));
        while (w == 0)
        {
            if (++word == bits.Length)
                return -1;
            w = bits[word];
        }

        return (word << 6) + BitOperations.TrailingZeroCount(w);
    }
}

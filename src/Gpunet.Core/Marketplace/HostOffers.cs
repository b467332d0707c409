namespace Gpunet.Core.Marketplace;

/// <summary>The matcher's hosts: each node's offer, whether it may be matched, and its place (country and declared
/// region) interned to a small id, with per match whether each place is allowed.</summary>
/// <remarks><see cref="Stamp"/> changes whenever an offer or an availability does, so that an index built from the
/// offers knows it is stale. Not thread-safe.</remarks>
internal sealed class HostOffers
{
    private readonly Dictionary<(string Country, string Region), int> _placeIds = new(PlaceComparer.Instance);
    private (string Country, string Region)[] _places = [];
    private bool[] _placeAllowed = [];
    private HostOffer[] _offers = [];
    private MatchHost[] _hosts = [];

    /// <summary>Hosts added; node <c>i</c> is the <c>i</c>-th.</summary>
    public int Count { get; private set; }

    /// <summary>Changes whenever an offer or an availability changes.</summary>
    public long Stamp { get; private set; }

    /// <summary>The hosts by node; entries at and past <see cref="Count"/> are unused.</summary>
    public MatchHost[] Hosts => _hosts;

    /// <summary>Per place id, whether the current order allows it (<see cref="AllowPlaces"/>); ids past the number
    /// of places are unused.</summary>
    public bool[] PlaceAllowed => _placeAllowed;

    /// <summary>Whether the current order allows each place, by id.</summary>
    public ReadOnlySpan<bool> AllowedPlaces => _placeAllowed.AsSpan(0, _placeIds.Count);

    /// <summary>Adds node <see cref="Count"/> with its offer (validated by the caller), not yet available.</summary>
    public void Add(HostOffer offer)
    {
        var node = Count;
        if (node == _hosts.Length)
        {
            var size = Math.Max(4, node * 2);
            Array.Resize(ref _hosts, size);
            Array.Resize(ref _offers, size);
        }

        Count++;
        Set(node, offer);
    }

    /// <summary>Replaces the node's offer (validated by the caller); the host id must stay the same.</summary>
    public void Update(int node, HostOffer offer)
    {
        CheckNode(node);
        if (!string.Equals(offer.HostId, _offers[node].HostId, StringComparison.Ordinal))
            throw new ArgumentException($"node {node} is host {_offers[node].HostId}, not {offer.HostId}", nameof(offer));
        Set(node, offer);
    }

    /// <summary>Whether the host may be matched.</summary>
    public void SetAvailable(int node, bool available)
    {
        CheckNode(node);
        if (_hosts[node].Available == available)
            return;
        _hosts[node].Available = available;
        Stamp++;
    }

    /// <summary>Whether the host may be matched.</summary>
    public bool IsAvailable(int node)
    {
        CheckNode(node);
        return _hosts[node].Available;
    }

    /// <summary>The host's offer now.</summary>
    public HostOffer Offer(int node)
    {
        CheckNode(node);
        return _offers[node];
    }

    /// <exception cref="ArgumentOutOfRangeException">No such node.</exception>
    public void CheckNode(int node)
    {
        if ((uint)node >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(node), node, $"the matcher has {Count} hosts");
    }

    /// <summary>Works out which places the order allows: its countries and regions (a host's declared region),
    /// allowed and denied.</summary>
    public void AllowPlaces(OrderSpec order)
    {
        var ok = _placeAllowed.AsSpan(0, _placeIds.Count);
        if (order.AllowedCountries.Count == 0 && order.DeniedCountries.Count == 0 && order.AllowedRegions.Count == 0 && order.DeniedRegions.Count == 0)
        {
            ok.Fill(true);
            return;
        }

        for (var id = 0; id < ok.Length; id++)
        {
            var (country, region) = _places[id];
            ok[id] = Allows(order.AllowedCountries, order.DeniedCountries, country) && Allows(order.AllowedRegions, order.DeniedRegions, region);
        }

        static bool Allows(IReadOnlyList<string> allowed, IReadOnlyList<string> denied, string value) =>
            (allowed.Count == 0 || Contains(allowed, value)) && !Contains(denied, value);

        static bool Contains(IReadOnlyList<string> list, string value)
        {
            foreach (var item in list)
            {
                if (string.Equals(item.Trim(), value, StringComparison.OrdinalIgnoreCase))
                    return true;
            }

            return false;
        }
    }

    private void Set(int node, HostOffer offer)
    {
        var place = (offer.Country.Trim(), offer.Region.Trim());
        if (!_placeIds.TryGetValue(place, out var id))
        {
            id = _placeIds.Count;
            _placeIds.Add(place, id);
            if (id == _placeAllowed.Length)
            {
                Array.Resize(ref _placeAllowed, Math.Max(8, id * 2));
                Array.Resize(ref _places, _placeAllowed.Length);
            }

            _places[id] = place;
        }

        if (offer == _offers[node])
            return;
        _offers[node] = offer;
        Stamp++;
        ref var h = ref _hosts[node];
        h.Place = id;
        h.Price = offer.PriceUsdPerGpuHour;
        h.PriceValue = (double)offer.PriceUsdPerGpuHour;
        h.Reputation = offer.Reputation;
        h.Position = GeoVector.From(offer.Latitude, offer.Longitude);
    }

    /// <summary>Places compared without regard to case, as orders name them.</summary>
    private sealed class PlaceComparer : IEqualityComparer<(string Country, string Region)>
    {
        public static readonly PlaceComparer Instance = new();

        public bool Equals((string Country, string Region) x, (string Country, string Region) y) =>
            StringComparer.OrdinalIgnoreCase.Equals(x.Country, y.Country) && StringComparer.OrdinalIgnoreCase.Equals(x.Region, y.Region);

        public int GetHashCode((string Country, string Region) p) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(p.Country), StringComparer.OrdinalIgnoreCase.GetHashCode(p.Region));
    }
}

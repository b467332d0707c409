using System.Collections.Immutable;
using Gpunet.Core.Gpus;
using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Marketplace;

/// <summary>The marketplace's matcher (the indexer): places an order's hosts, all or nothing, on nodes that pass its
/// hard filters, among the best-ranked of them.</summary>
/// <remarks>
/// <para>Hard filters, per node: the host is available (ready and compliant, <see cref="SetAvailable"/>); it has GPUs
/// of an acceptable model with enough free GPUs or share, CPU and memory (<see cref="ClusterCapacity.Fits"/>); its
/// country is allowed and not denied; its price is at most the order's; its estimated round trip
/// (<see cref="LatencyModel"/>) to the order's point is within the order's limit; the caller's compliance check
/// gives no reason to refuse it; and the caller does not exclude it.</para>
/// <para>Ranking is fragmentation-aware: the order's <see cref="Ranking"/> keys every node that passes, and the nodes
/// whose key is within a tolerance of the best form the band; the placement policy (FGD by default) then chooses
/// within the band. The ranking chooses the class of host, the policy which one, so that whole 8-GPU machines stay
/// free for 8-GPU orders. A gang takes its hosts from the band and, when the band runs out, from the next band.</para>
/// <para>A match costs one policy decision per host plus a walk over the price levels of the nodes that fit: per
/// distinct order signature (request shape, models, countries, price limit, latency point and limit) the matcher keeps
/// the nodes that pass the offer filters sorted by price and by experience, with a bit per node that says whether it
/// fits now, brought up to date from the cluster's journal of changed nodes (see <see cref="BandIndex"/>); the band is
/// tested lazily, only of the nodes the policy would choose. The causes of a failure are counted only when it fails.
/// Not thread-safe: one matcher per matching loop.</para>
/// </remarks>
public sealed partial class OrderMatcher
{
    /// <summary><see cref="Ranking.LowestFee"/>: hosts at most 5 % dearer than the cheapest are one band.</summary>
    public const decimal LowestFeeBand = 1.05m;

    /// <summary><see cref="Ranking.BestExperience"/>: hosts at most 10 ms further (round trip) than the nearest are
    /// one band; a difference players and interactive users barely notice.</summary>
    public const double LatencyBandMs = 10;

    /// <summary><see cref="Ranking.BestExperience"/>: among those, hosts within 0.05 of the best reputation.</summary>
    public const double ReputationBand = 0.05;

    /// <summary><see cref="Ranking.Balanced"/>: hosts whose score is at most 10 % above the best are one band.</summary>
    public const double BalancedBand = 1.10;

    /// <summary><see cref="Ranking.Balanced"/>: the weight of the price in the score; experience has the rest.
    /// score = w × price / cheapest + (1 − w) × (latency / nearest, or without a point (1 − reputation) + 1).</summary>
    public const double BalancedPriceWeight = 0.5;

    private readonly IPlacementPolicy _policy;
    private readonly bool _indexed;
    private readonly Func<int, bool> _inBand;
    private readonly Func<int, bool> _inIndexedBand;
    private readonly List<BandIndex> _indexes = [];
    private readonly List<int> _changed = [];
    private readonly AcceptableModelsCache _models = new();
    private long _offerStamp;
    private long _useStamp;
    private Filter _filter;
    private BandIndex? _index;
    private Band _band;
    // Hosts' places (country and declared region) interned to small ids; per match, whether each place is allowed.
    private readonly Dictionary<(string Country, string Region), int> _countryIds = new(PlaceComparer.Instance);
    private (string Country, string Region)[] _places = [];
    private bool[] _countryOk = [];
    private HostOffer[] _offers = [];
    private Host[] _hosts = [];
    private int[] _candidates = [];
    private int _hostCount;
    private long _bandStamp;
    private long _matchStamp;

    /// <summary>A matcher with an empty cluster that places with <paramref name="policy"/>.</summary>
    public OrderMatcher(IPlacementPolicy policy)
        : this(policy, indexed: true)
    {
    }

    /// <summary>A matcher that, without <paramref name="indexed"/>, makes a full pass over the nodes per band: the
    /// simple reference the indexed matcher is tested against.</summary>
    internal OrderMatcher(IPlacementPolicy policy, bool indexed)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _indexed = indexed;
        _inBand = node => node < _hostCount && _hosts[node].Band == _bandStamp;
        _inIndexedBand = InIndexedBand;
    }

    /// <summary>The free capacity of the hosts; node <c>i</c> is the host <see cref="AddHost"/> returned <c>i</c> for.</summary>
    /// <remarks>Refresh a node from the store with <see cref="ClusterCapacity.SetFree"/>; add nodes only through
    /// <see cref="AddHost"/>.</remarks>
    public ClusterCapacity Cluster { get; } = new();

    /// <summary>Adds a host, not yet available; the node's name is <see cref="HostOffer.HostId"/>, whatever
    /// <paramref name="spec"/> names it. Returns the node's index.</summary>
    /// <exception cref="ArgumentException">The spec or offer is invalid, or the host id is taken; nothing changes.</exception>
    public int AddHost(NodeSpec spec, HostOffer offer)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(offer);
        offer.Validate();
        if (Cluster.NodeCount != _hostCount)
            throw new InvalidOperationException("the cluster has nodes without an offer: add hosts through AddHost");
        var node = Cluster.AddNode(spec with { Name = offer.HostId });
        if (node == _hosts.Length)
        {
            var size = Math.Max(4, node * 2);
            Array.Resize(ref _hosts, size);
            Array.Resize(ref _offers, size);
            Array.Resize(ref _candidates, size);
        }

        _hostCount++;
        Set(node, offer);
        return node;
    }

    /// <summary>Replaces the host's offer (price, place, reputation); the host id must stay the same.</summary>
    public void UpdateOffer(int node, HostOffer offer)
    {
        CheckNode(node);
        ArgumentNullException.ThrowIfNull(offer);
        offer.Validate();
        if (!string.Equals(offer.HostId, _offers[node].HostId, StringComparison.Ordinal))
            throw new ArgumentException($"node {node} is host {_offers[node].HostId}, not {offer.HostId}", nameof(offer));
        Set(node, offer);
    }

    /// <summary>Whether the host may be matched: ready and compliant. New hosts start unavailable.</summary>
    public void SetAvailable(int node, bool available)
    {
        CheckNode(node);
        if (_hosts[node].Available == available)
            return;
        _hosts[node].Available = available;
        _offerStamp++;
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

    /// <summary>What the order needs on each host: its CPU, memory (clamped to <see cref="int.MaxValue"/> MiB), GPUs
    /// per host and share, and the acceptable canonical models.</summary>
    /// <remarks>The models are every catalog model the order's names stand for (a family: all its variants) that
    /// meets <see cref="OrderSpec.MinVramGb"/> and <see cref="OrderSpec.MinComputeCapability"/>; with no names, every
    /// catalog model that meets them; with neither, an empty list (any model). When the minimums leave no model the
    /// list is empty too: <see cref="Match"/> refuses such an order rather than take any model.</remarks>
    public static PlacementRequest RequestFor(OrderSpec order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return Request(order, AcceptableModels(order) ?? []);
    }

    /// <summary>Places the order's <see cref="OrderSpec.Hosts"/> on distinct nodes and allocates them in
    /// <see cref="Cluster"/>, or allocates nothing and says why not.</summary>
    /// <param name="compliance">The reason a node may not take this order (null: it may); null: no check.</param>
    /// <param name="exclude">Nodes to leave out, e.g. the host a lease is failing over from; null: none.</param>
    public MatchResult Match(OrderSpec order, Func<int, string?>? compliance = null, Func<int, bool>? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentOutOfRangeException.ThrowIfLessThan(order.Hosts, 1);
        var models = _models.AcceptableModels(order);
        if (models is { Length: 0 })
            return new NotMatched(MatchReasons.NoModel(order));
        var request = Request(order, models ?? []);
        var mask = Cluster.ModelMask(request.AcceptableModels);
        var filter = new Filter(order, request, mask, compliance, exclude);
        AllowCountries(order);
        if (_indexed)
            return MatchIndexed(filter);
        var count = Candidates(filter);
        if (count < order.Hosts)
            return new NotMatched(Explain(filter, count));
        return Place(filter, count);
    }

    /// <summary>Gives a placement's resources back to <see cref="Cluster"/>.</summary>
    public void Release(Placement placement) => Cluster.Release(placement);

    // The catalog models the order accepts; null: any model.
    internal static string[]? AcceptableModels(OrderSpec order)
    {
        var (vram, compute) = (order.MinVramGb, order.MinComputeCapability);
        if (order.Models.Count == 0 && vram is null && compute is null)
            return null;
        var named = order.Models.Count == 0 ? GpuCatalog.All : order.Models.SelectMany(GpuCatalog.Resolve);
        return
        [
            .. named.Where(m => (vram is null || m.VramGb >= vram) && (compute is null || m.ComputeCapability >= compute))
                .Select(m => m.Name).Distinct(StringComparer.Ordinal),
        ];
    }

    private static PlacementRequest Request(OrderSpec order, IReadOnlyList<string> models) => new(
        order.CpuMilliPerHost,
        (int)Math.Clamp(order.MemoryMibPerHost, 0, int.MaxValue),
        order.GpusPerHost,
        order.GpusPerHost == 0 ? 0 : order.GpuMilli,
        models);

    private void Set(int node, HostOffer offer)
    {
        var place = (offer.Country.Trim(), offer.Region.Trim());
        if (!_countryIds.TryGetValue(place, out var id))
        {
            id = _countryIds.Count;
            _countryIds.Add(place, id);
            if (id == _countryOk.Length)
            {
                Array.Resize(ref _countryOk, Math.Max(8, id * 2));
                Array.Resize(ref _places, _countryOk.Length);
            }

            _places[id] = place;
        }

        if (offer == _offers[node])
            return;
        _offers[node] = offer;
        _offerStamp++;
        ref var h = ref _hosts[node];
        h.Country = id;
        h.Price = offer.PriceUsdPerGpuHour;
        h.PriceValue = (double)offer.PriceUsdPerGpuHour;
        h.Reputation = offer.Reputation;
        h.Position = GeoVector.From(offer.Latitude, offer.Longitude);
    }

    private void CheckNode(int node)
    {
        if ((uint)node >= (uint)_hostCount)
            throw new ArgumentOutOfRangeException(nameof(node), node, $"the matcher has {_hostCount} hosts");
    }

    // Which places the order allows: its countries and regions (a host's declared region), allowed and denied.
    private void AllowCountries(OrderSpec order)
    {
        var ok = _countryOk.AsSpan(0, _countryIds.Count);
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

    /// <summary>Places compared without regard to case, as orders name them.</summary>
    private sealed class PlaceComparer : IEqualityComparer<(string Country, string Region)>
    {
        public static readonly PlaceComparer Instance = new();

        public bool Equals((string Country, string Region) x, (string Country, string Region) y) =>
            StringComparer.OrdinalIgnoreCase.Equals(x.Country, y.Country) && StringComparer.OrdinalIgnoreCase.Equals(x.Region, y.Region);

        public int GetHashCode((string Country, string Region) p) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(p.Country), StringComparer.OrdinalIgnoreCase.GetHashCode(p.Region));
    }

    // The nodes that pass every hard filter and fit now, into _candidates; their latency is kept for the ranking.
    private int Candidates(in Filter f)
    {
        var hosts = _hosts.AsSpan(0, Math.Min(_hostCount, Cluster.NodeCount));
        var count = 0;
        for (var i = 0; i < hosts.Length; i++)
        {
            ref var h = ref hosts[i];
            if (!h.Available || !_countryOk[h.Country] || !Cluster.Fits(i, f.Request, f.Mask) || TooDear(h, f))
                continue;
            if (f.Measured)
            {
                h.Haversine = LatencyModel.Haversine(h.Position, f.From);
                if (TooFar(h.Haversine, f))
                    continue;
            }

            if (f.Exclude?.Invoke(i) == true || f.Compliance?.Invoke(i) is not null)
                continue;
            _candidates[count++] = i;
        }

        return count;
    }

    // Takes the gang's hosts band by band; all or nothing.
    private MatchResult Place(in Filter f, int count)
    {
        var hosts = f.Order.Hosts;
        var placements = ImmutableArray.CreateBuilder<Placement>(hosts);
        _matchStamp++;
        while (placements.Count < hosts)
        {
            var inBand = MarkBand(f, count);
            for (; inBand > 0 && placements.Count < hosts; inBand--)
            {
                var p = _policy.Choose(Cluster, f.Request, _inBand);
                if (p is null || !_inBand(p.Node))
                    break;

                Cluster.Allocate(p);
                placements.Add(p);
                ref var h = ref _hosts[p.Node];
                (h.Band, h.Taken) = (0, _matchStamp);
            }

            if (inBand > 0 && placements.Count < hosts)
            {
                // The policy refused a node that fits (never with the policies here): give back what the gang took.
                foreach (var taken in placements)
                    Cluster.Release(taken);
                return new NotMatched($"the {_policy.Name} policy placed only {placements.Count} of {hosts} hosts");
            }
        }

        return new Matched(placements.MoveToImmutable());
    }

    // Marks the candidates not yet taken whose ranking key is within the tolerance of the best; returns how many.
    // Keys are doubles, smaller better; prices compare as doubles (decimal to double is monotone) and as decimals
    // only where the doubles tie, so the fee band is exact.
    private int MarkBand(in Filter f, int count)
    {
        _bandStamp++;
        var candidates = _candidates.AsSpan(0, count);
        var ranking = f.Order.Ranking;
        var (cheapest, cheapestValue, nearest) = (decimal.MaxValue, double.MaxValue, double.MaxValue);
        foreach (var i in candidates)
        {
            ref readonly var h = ref _hosts[i];
            if (h.Taken == _matchStamp)
                continue;
            if (h.PriceValue < cheapestValue || (h.PriceValue == cheapestValue && h.Price < cheapest))
                (cheapest, cheapestValue) = (h.Price, h.PriceValue);
            nearest = Math.Min(nearest, h.Haversine);
        }

        // Distances compare as haversines; a round trip is worked out only for the balanced score.
        var nearestMs = f.Measured ? LatencyModel.RttMs(nearest) : 0;
        var nearEnough = f.Measured ? LatencyModel.HaversineForRtt(nearestMs + LatencyBandMs) : double.MaxValue;
        var best = double.MaxValue;
        foreach (var i in candidates)
        {
            ref var h = ref _hosts[i];
            if (h.Taken == _matchStamp)
                continue;
            h.Key = ranking switch
            {
                Ranking.LowestFee => h.PriceValue,
                // Within the latency band, the better the reputation the smaller the key.
                Ranking.BestExperience => h.Haversine <= nearEnough || h.Haversine == nearest ? -h.Reputation : double.MaxValue,
                _ => Score(h.PriceValue, h.Haversine, h.Reputation, f.Measured, cheapestValue, nearestMs),
            };
            best = Math.Min(best, h.Key);
        }

        var dearest = cheapest * LowestFeeBand;
        var limit = ranking switch
        {
            Ranking.LowestFee => (double)dearest,
            Ranking.BestExperience => best + ReputationBand,
            _ => best * BalancedBand,
        };
        var marked = 0;
        foreach (var i in candidates)
        {
            ref var h = ref _hosts[i];
            if (h.Taken == _matchStamp || h.Key > limit || (h.Key == limit && ranking == Ranking.LowestFee && h.Price > dearest))
                continue;
            h.Band = _bandStamp;
            marked++;
        }

        return marked;
    }

    // Beyond the order's round trip: haversines compared against the limit's, with the exact round trip worked out
    // only within a hair of it, so that the filter is exactly LatencyModel.EstimateRttMs ≤ MaxLatencyMs.
    private static bool TooFar(double haversine, in Filter f)
    {
        const double Hair = 1e-9;
        if (haversine < f.MaxHaversine * (1 - Hair))
            return false;
        return haversine > (f.MaxHaversine * (1 + Hair)) + Hair || LatencyModel.RttMs(haversine) > f.MaxLatencyMs;
    }

    // Above the order's price; decimals compared only where the doubles tie (decimal to double is monotone).
    private static bool TooDear(in Host h, in Filter f) =>
        h.PriceValue > f.MaxPriceValue || (h.PriceValue == f.MaxPriceValue && h.Price > f.MaxPrice);

    // The balanced score: 1 is the cheapest price and the nearest (or, without a point, a perfect reputation).
    private static double Score(double priceValue, double haversine, double reputation, bool measured, double minPrice, double minLatency)
    {
        var experience = measured ? LatencyModel.RttMs(haversine) / minLatency : 1 - reputation + 1;
        return (BalancedPriceWeight * PriceRatio(priceValue, minPrice)) + ((1 - BalancedPriceWeight) * experience);
    }

    // The balanced score's price term: nondecreasing in the price.
    private static double PriceRatio(double priceValue, double minPrice) =>
        minPrice > 0 ? priceValue / minPrice : priceValue == 0 ? 1 : double.PositiveInfinity;

    // Why nothing (or too little) matched: the first hard filter, in the order people think of them, that no node
    // passes together with the ones before it; then the capacity, then the gang.
    private string Explain(in Filter f, int matched)
    {
        int ready = 0, model = 0, located = 0, priced = 0, near = 0, kept = 0, compliant = 0;
        string? refusal = null;
        for (var i = 0; i < Math.Min(_hostCount, Cluster.NodeCount); i++)
        {
            ref readonly var h = ref _hosts[i];
            if (!h.Available)
                continue;
            ready++;
            if (!HasModel(i, f))
                continue;
            model++;
            if (!_countryOk[h.Country])
                continue;
            located++;
            if (TooDear(h, f))
                continue;
            priced++;
            if (f.Measured && TooFar(LatencyModel.Haversine(h.Position, f.From), f))
                continue;
            near++;
            if (f.Exclude?.Invoke(i) == true)
                continue;
            kept++;
            if (f.Compliance?.Invoke(i) is { } reason)
            {
                refusal ??= reason;
                continue;
            }

            compliant++;
        }

        var o = f.Order;
        return (ready, model, located, priced, near, kept, compliant) switch
        {
            (0, _, _, _, _, _, _) => MatchReasons.NoneReady,
            (_, 0, _, _, _, _, _) => MatchReasons.NoModelHost(o),
            (_, _, 0, _, _, _, _) => MatchReasons.NoneThere(o),
            (_, _, _, 0, _, _, _) => MatchReasons.TooDear(o),
            (_, _, _, _, 0, _, _) => MatchReasons.TooFar(o),
            (_, _, _, _, _, 0, _) => MatchReasons.AllExcluded(o, near),
            (_, _, _, _, _, _, 0) => MatchReasons.Refused(refusal ?? "refused", kept),
            _ when matched == 0 => MatchReasons.Busy(o, compliant),
            _ => MatchReasons.TooFew(o, matched),
        };
    }

    // The node has GPUs of an acceptable model, at least as many as the order wants per host (free or not).
    private bool HasModel(int node, in Filter f)
    {
        if (f.Request.GpuCount == 0)
            return true;
        ref readonly var n = ref Cluster.Node(node);
        return n.ModelId >= 0 && ((f.Mask >> n.ModelId) & 1) != 0 && n.GpuCount >= f.Request.GpuCount;
    }

    // One host's offer as the hot loop reads it, and its per-match scratch: haversine to the order's point (its distance), ranking
    // key, the band stamp it was last marked with, the match stamp it was last taken by.
    private struct Host
    {
        public bool Available;
        public int Country;
        public decimal Price;
        public double PriceValue;
        public double Reputation;
        public GeoVector Position;
        public double Haversine;
        public double Key;
        public long Band;
        public long Taken;
    }

    // The order's hard filters, resolved once per match.
    private readonly struct Filter(OrderSpec order, PlacementRequest request, ulong mask, Func<int, string?>? compliance, Func<int, bool>? exclude)
    {
        public OrderSpec Order { get; } = order;
        public PlacementRequest Request { get; } = request;
        public ulong Mask { get; } = mask;
        public Func<int, string?>? Compliance { get; } = compliance;
        public Func<int, bool>? Exclude { get; } = exclude;
        public decimal MaxPrice { get; } = order.MaxPriceUsdPerGpuHour;
        public double MaxPriceValue { get; } = (double)order.MaxPriceUsdPerGpuHour;
        public bool Measured { get; } = order.LatencyFrom is not null;
        public GeoVector From { get; } = order.LatencyFrom is { } p ? GeoVector.From(p.Latitude, p.Longitude) : default;
        public double MaxLatencyMs { get; } = order is { MaxLatencyMs: { } ms, LatencyFrom: not null } ? ms : double.PositiveInfinity;
        public double MaxHaversine { get; } = order is { MaxLatencyMs: { } limit, LatencyFrom: not null } ? LatencyModel.HaversineForRtt(limit) : 2;
    }
}

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
/// <para>The matcher is the public face of parts that each have one reason to change: <see cref="HostOffers"/> (the
/// hosts' offers and places), <see cref="MatchFilter"/> (an order's hard filters), <see cref="RankingBand"/> (the
/// band arithmetic), <see cref="IndexedMatcher"/> with <see cref="BandIndexes"/> (the fast match) and
/// <see cref="ScanMatcher"/> (the plain one, its test oracle), and <see cref="MatchExplainer"/> (why a match failed).</para>
/// </remarks>
public sealed class OrderMatcher
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

    private readonly HostOffers _offers = new();
    private readonly IHostMatcher _matcher;
    private readonly AcceptableModelsCache _models = new();

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
        _matcher = indexed ? new IndexedMatcher(policy, Cluster, _offers) : new ScanMatcher(policy, Cluster, _offers);
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
        if (Cluster.NodeCount != _offers.Count)
            throw new InvalidOperationException("the cluster has nodes without an offer: add hosts through AddHost");
        var node = Cluster.AddNode(spec with { Name = offer.HostId });
        _offers.Add(offer);
        return node;
    }

    /// <summary>Replaces the host's offer (price, place, reputation); the host id must stay the same.</summary>
    public void UpdateOffer(int node, HostOffer offer)
    {
        _offers.CheckNode(node);
        ArgumentNullException.ThrowIfNull(offer);
        offer.Validate();
        _offers.Update(node, offer);
    }

    /// <summary>Whether the host may be matched: ready and compliant. New hosts start unavailable.</summary>
    public void SetAvailable(int node, bool available) => _offers.SetAvailable(node, available);

    /// <summary>Whether the host may be matched.</summary>
    public bool IsAvailable(int node) => _offers.IsAvailable(node);

    /// <summary>The host's offer now.</summary>
    public HostOffer Offer(int node) => _offers.Offer(node);

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
        var filter = new MatchFilter(order, request, mask, compliance, exclude);
        _offers.AllowPlaces(order);
        return _matcher.Match(filter);
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
}

using System.Collections.Immutable;
using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Marketplace;

/// <summary>The indexed match: the same decisions as <see cref="ScanMatcher"/>, without a pass over every node per
/// match. It walks the order signature's <see cref="BandIndex"/> (nodes sorted by price and by experience, with a fit
/// bit each) and tests the band lazily, only of the nodes the policy would choose.</summary>
internal sealed class IndexedMatcher : IHostMatcher
{
    private readonly IPlacementPolicy _policy;
    private readonly ClusterCapacity _cluster;
    private readonly HostOffers _offers;
    private readonly BandIndexes _indexes;
    private readonly Func<int, bool> _inBand;
    private MatchFilter _filter;
    private BandIndex? _index;
    private RankingBand _band;
    private long _matchStamp;

    public IndexedMatcher(IPlacementPolicy policy, ClusterCapacity cluster, HostOffers offers)
    {
        (_policy, _cluster, _offers) = (policy, cluster, offers);
        _indexes = new BandIndexes(offers, cluster);
        _inBand = InBand;
    }

    public MatchResult Match(in MatchFilter filter)
    {
        var index = _indexes.For(filter);
        (_filter, _index) = (filter, index);
        _matchStamp++;
        try
        {
            var hosts = filter.Order.Hosts;
            var seen = 0;
            for (var pos = index.NextFitByPrice(0); pos >= 0 && seen < hosts; pos = index.NextFitByPrice(pos + 1))
            {
                if (IsCandidate(index.NodeByPrice(pos)))
                    seen++;
            }

            // Fewer candidates than hosts: all of them were counted.
            if (seen < hosts)
                return new NotMatched(MatchExplainer.Explain(_offers, _cluster, filter, seen));
            return Place(filter, index);
        }
        finally
        {
            (_filter, _index) = (default, null);
        }
    }

    // Takes the gang's hosts band by band, as the plain match does, asking the policy exactly as often (a learning
    // policy observes every request it is asked): the band's size is counted only as far as the hosts still wanted.
    private MatchResult Place(in MatchFilter f, BandIndex index)
    {
        var hosts = f.Order.Hosts;
        var placements = ImmutableArray.CreateBuilder<Placement>(hosts);
        while (placements.Count < hosts)
        {
            _band = BandOf(f, index);
            var inBand = CountBand(index, hosts - placements.Count);
            var masked = _policy as IMaskedPlacementPolicy;
            var mask = masked is null ? default : index.MaskFor(_band, _offers.Hosts);
            for (; inBand > 0 && placements.Count < hosts; inBand--)
            {
                var p = masked is null ? _policy.Choose(_cluster, f.Request, _inBand) : masked.Choose(_cluster, f.Request, mask, _inBand);
                if (p is null || !InBand(p.Node))
                    break;

                _cluster.Allocate(p);
                placements.Add(p);
                _offers.Hosts[p.Node].Taken = _matchStamp;
            }

            if (inBand > 0 && placements.Count < hosts)
            {
                // The policy refused a node of the band (never with the policies here): give back what the gang took.
                foreach (var p in placements)
                    _cluster.Release(p);
                return new NotMatched(MatchExplainer.PolicyFellShort(_policy, placements.Count, hosts));
            }
        }

        return new Matched(placements.MoveToImmutable());
    }

    // The band's size, counted up to `wanted` (one host: the band always holds the best candidate).
    private int CountBand(BandIndex x, int wanted)
    {
        if (wanted == 1)
            return 1;
        var count = 0;
        for (var pos = x.NextFitByPrice(0); pos >= 0 && count < wanted; pos = x.NextFitByPrice(pos + 1))
        {
            if (InBand(x.NodeByPrice(pos)))
                count++;
        }

        return count;
    }

    // A node that passes the dynamic filters: not yet taken by this match, not excluded, not refused. Its fit bit and
    // the offer filters are the caller's to test.
    private bool IsCandidate(int node) => _offers.Hosts[node].Taken != _matchStamp && _filter.Admits(node);

    // The band's bounds among the candidates not yet taken, worked out as the plain match does (same keys, same
    // arithmetic) but by walking the sorted nodes: the cheapest is the first candidate by price, the nearest the first
    // by distance, and the best balanced score is met at the first candidate of some price level (within a level the
    // nodes are sorted by experience), no later than the first level whose price term alone exceeds it.
    private RankingBand BandOf(in MatchFilter f, BandIndex x)
    {
        var hosts = _offers.Hosts;
        var ranking = f.Order.Ranking;
        var first = x.NodeByPrice(FirstCandidate(x, byPrice: true, 0));
        var (cheapest, cheapestValue) = (hosts[first].Price, hosts[first].PriceValue);
        var nearest = f.Measured ? x.Haversine(x.NodeByExperience(FirstCandidate(x, byPrice: false, 0))) : 0;
        var nearestMs = f.Measured ? LatencyModel.RttMs(nearest) : 0;
        var nearEnough = RankingBand.NearEnoughFor(f.Measured, nearestMs);
        var best = double.MaxValue;
        if (ranking == Ranking.BestExperience)
        {
            // Sorted by distance (measured) or by reputation, best first (not measured: every candidate is near).
            for (var pos = FirstCandidate(x, byPrice: false, 0); pos >= 0; pos = FirstCandidate(x, byPrice: false, pos + 1))
            {
                var i = x.NodeByExperience(pos);
                if (f.Measured && !(x.Haversine(i) <= nearEnough || x.Haversine(i) == nearest))
                    break;
                best = Math.Min(best, -hosts[i].Reputation);
                if (!f.Measured)
                    break;
            }
        }
        else if (ranking != Ranking.LowestFee)
        {
            // The experience term is at least 1 (the nearest, or a perfect reputation): a level whose price term
            // with 1 exceeds the best has no better node, nor has any dearer level.
            for (var pos = FirstCandidate(x, byPrice: true, 0); pos >= 0; pos = FirstCandidate(x, byPrice: true, x.NextPriceLevel(pos)))
            {
                var node = x.NodeByPrice(pos);
                ref readonly var h = ref hosts[node];
                var w = OrderMatcher.BalancedPriceWeight;
                if ((w * RankingBand.PriceRatio(h.PriceValue, cheapestValue)) + ((1 - w) * 1.0) > best)
                    break;
                best = Math.Min(best, RankingBand.Score(h.PriceValue, x.Haversine(node), h.Reputation, f.Measured, cheapestValue, nearestMs));
            }
        }

        return RankingBand.Around(ranking, cheapest, cheapestValue, nearest, nearestMs, nearEnough, best);
    }

    // The position of the first candidate at or after `from`, by price or by experience; -1 when there is none.
    private int FirstCandidate(BandIndex x, bool byPrice, int from)
    {
        for (var pos = byPrice ? x.NextFitByPrice(from) : x.NextFitByExperience(from); pos >= 0;
             pos = byPrice ? x.NextFitByPrice(pos + 1) : x.NextFitByExperience(pos + 1))
        {
            if (IsCandidate(byPrice ? x.NodeByPrice(pos) : x.NodeByExperience(pos)))
                return pos;
        }

        return -1;
    }

    // Whether the node is in the current band: the plain match's test on a candidate, asked only of nodes a policy
    // would choose.
    private bool InBand(int node)
    {
        var x = _index;
        if (x is null || (uint)node >= (uint)_offers.Count || !x.Fits(node))
            return false;
        ref readonly var h = ref _offers.Hosts[node];
        return h.Taken != _matchStamp && _band.Holds(h, x.Haversine(node), x.Measured) && _filter.Admits(node);
    }
}

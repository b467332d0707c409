using System.Collections.Immutable;
using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Marketplace;

/// <summary>The plain match: a full pass over the hosts per band. Simple enough to read as the rule, and the
/// reference the indexed match is tested against.</summary>
internal sealed class ScanMatcher : IHostMatcher
{
    private readonly IPlacementPolicy _policy;
    private readonly ClusterCapacity _cluster;
    private readonly HostOffers _offers;
    private readonly Func<int, bool> _inBand;
    private int[] _candidates = [];
    private long _bandStamp;
    private long _matchStamp;

    public ScanMatcher(IPlacementPolicy policy, ClusterCapacity cluster, HostOffers offers)
    {
        (_policy, _cluster, _offers) = (policy, cluster, offers);
        _inBand = node => node < _offers.Count && _offers.Hosts[node].Band == _bandStamp;
    }

    public MatchResult Match(in MatchFilter filter)
    {
        var count = Candidates(filter);
        if (count < filter.Order.Hosts)
            return new NotMatched(MatchExplainer.Explain(_offers, _cluster, filter, count));
        return Place(filter, count);
    }

    // The nodes that pass every hard filter and fit now, into _candidates; their latency is kept for the ranking.
    private int Candidates(in MatchFilter f)
    {
        var hosts = _offers.Hosts.AsSpan(0, Math.Min(_offers.Count, _cluster.NodeCount));
        if (_candidates.Length < hosts.Length)
            Array.Resize(ref _candidates, _offers.Hosts.Length);
        var placeAllowed = _offers.PlaceAllowed;
        var count = 0;
        for (var i = 0; i < hosts.Length; i++)
        {
            ref var h = ref hosts[i];
            if (!h.Available || !placeAllowed[h.Place] || !_cluster.Fits(i, f.Request, f.Mask) || f.TooDear(h))
                continue;
            if (f.Measured)
            {
                h.Haversine = LatencyModel.Haversine(h.Position, f.From);
                if (f.TooFar(h.Haversine))
                    continue;
            }

            if (!f.Admits(i))
                continue;
            _candidates[count++] = i;
        }

        return count;
    }

    // Takes the gang's hosts band by band; all or nothing.
    private MatchResult Place(in MatchFilter f, int count)
    {
        var hosts = f.Order.Hosts;
        var placements = ImmutableArray.CreateBuilder<Placement>(hosts);
        _matchStamp++;
        while (placements.Count < hosts)
        {
            var inBand = MarkBand(f, count);
            for (; inBand > 0 && placements.Count < hosts; inBand--)
            {
                var p = _policy.Choose(_cluster, f.Request, _inBand);
                if (p is null || !_inBand(p.Node))
                    break;

                _cluster.Allocate(p);
                placements.Add(p);
                ref var h = ref _offers.Hosts[p.Node];
                (h.Band, h.Taken) = (0, _matchStamp);
            }

            if (inBand > 0 && placements.Count < hosts)
            {
                // The policy refused a node that fits (never with the policies here): give back what the gang took.
                foreach (var taken in placements)
                    _cluster.Release(taken);
                return new NotMatched(MatchExplainer.PolicyFellShort(_policy, placements.Count, hosts));
            }
        }

        return new Matched(placements.MoveToImmutable());
    }

    // Marks the candidates not yet taken whose ranking key is within the band (RankingBand); returns how many.
    private int MarkBand(in MatchFilter f, int count)
    {
        _bandStamp++;
        var hosts = _offers.Hosts;
        var candidates = _candidates.AsSpan(0, count);
        var ranking = f.Order.Ranking;
        var (cheapest, cheapestValue, nearest) = (decimal.MaxValue, double.MaxValue, double.MaxValue);
        foreach (var i in candidates)
        {
            ref readonly var h = ref hosts[i];
            if (h.Taken == _matchStamp)
                continue;
            if (h.PriceValue < cheapestValue || (h.PriceValue == cheapestValue && h.Price < cheapest))
                (cheapest, cheapestValue) = (h.Price, h.PriceValue);
            nearest = Math.Min(nearest, h.Haversine);
        }

        var nearestMs = f.Measured ? LatencyModel.RttMs(nearest) : 0;
        var nearEnough = RankingBand.NearEnoughFor(f.Measured, nearestMs);
        var best = double.MaxValue;
        foreach (var i in candidates)
        {
            ref var h = ref hosts[i];
            if (h.Taken == _matchStamp)
                continue;
            h.Key = RankingBand.Key(ranking, h, h.Haversine, f.Measured, cheapestValue, nearest, nearEnough, nearestMs);
            best = Math.Min(best, h.Key);
        }

        var band = RankingBand.Around(ranking, cheapest, cheapestValue, nearest, nearestMs, nearEnough, best);
        var marked = 0;
        foreach (var i in candidates)
        {
            ref var h = ref hosts[i];
            if (h.Taken == _matchStamp || !band.Holds(h.Key, h.Price))
                continue;
            h.Band = _bandStamp;
            marked++;
        }

        return marked;
    }
}

using System.Collections.Immutable;
using System.Numerics;
using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Marketplace;

// The indexed match: the same decisions as Candidates + MarkBand + Place, without a pass over every node per match.
public sealed partial class OrderMatcher
{
    // Distinct order signatures whose index is kept; the least recently used goes first.
    private const int MaxIndexes = 16;

    private MatchResult MatchIndexed(in Filter f)
    {
        var index = IndexFor(f);
        (_filter, _index) = (f, index);
        _matchStamp++;
        try
        {
            var hosts = f.Order.Hosts;
            var seen = 0;
            for (var pos = NextSet(index.FitsByPrice, 0); pos >= 0 && seen < hosts; pos = NextSet(index.FitsByPrice, pos + 1))
            {
                if (IsCandidate(index.ByPrice[pos]))
                    seen++;
            }

            // Fewer candidates than hosts: all of them were counted.
            if (seen < hosts)
                return new NotMatched(Explain(f, seen));
            return PlaceIndexed(f, index);
        }
        finally
        {
            (_filter, _index) = (default, null);
        }
    }

    // Takes the gang's hosts band by band, as Place does, asking the policy exactly as often (a learning policy
    // observes every request it is asked): the band's size is counted only as far as the hosts still wanted.
    private MatchResult PlaceIndexed(in Filter f, BandIndex index)
    {
        var hosts = f.Order.Hosts;
        var placements = ImmutableArray.CreateBuilder<Placement>(hosts);
        while (placements.Count < hosts)
        {
            _band = BandOf(f, index);
            var inBand = CountBand(index, hosts - placements.Count);
            var masked = _policy as IMaskedPlacementPolicy;
            var mask = masked is null ? default : MaskOf(index, _band);
            for (; inBand > 0 && placements.Count < hosts; inBand--)
            {
                var p = masked is null ? _policy.Choose(Cluster, f.Request, _inIndexedBand) : masked.Choose(Cluster, f.Request, mask, _inIndexedBand);
                if (p is null || !InIndexedBand(p.Node))
                    break;

                Cluster.Allocate(p);
                placements.Add(p);
                _hosts[p.Node].Taken = _matchStamp;
            }

            if (inBand > 0 && placements.Count < hosts)
            {
                // The policy refused a node of the band (never with the policies here): give back what the gang took.
                foreach (var p in placements)
                    Cluster.Release(p);
                return new NotMatched($"the {_policy.Name} policy placed only {placements.Count} of {hosts} hosts");
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
        for (var pos = NextSet(x.FitsByPrice, 0); pos >= 0 && count < wanted; pos = NextSet(x.FitsByPrice, pos + 1))
        {
            if (InIndexedBand(x.ByPrice[pos]))
                count++;
        }

        return count;
    }

    // A node that passes the dynamic filters: not yet taken by this match, not excluded, not refused. Its fit bit and
    // the offer filters are the caller's to test.
    private bool IsCandidate(int node) =>
        _hosts[node].Taken != _matchStamp && _filter.Exclude?.Invoke(node) != true && _filter.Compliance?.Invoke(node) is null;

    // The band's bounds among the candidates not yet taken, worked out as MarkBand does (same keys, same arithmetic)
    // but by walking the sorted nodes: the cheapest is the first candidate by price, the nearest the first by
    // distance, and the best balanced score is met at the first candidate of some price level (within a level the
    // nodes are sorted by experience), no later than the first level whose price term alone exceeds it.
    private Band BandOf(in Filter f, BandIndex x)
    {
        var ranking = f.Order.Ranking;
        var first = x.ByPrice[FirstCandidate(x.FitsByPrice, x.ByPrice, 0)];
        var (cheapest, cheapestValue) = (_hosts[first].Price, _hosts[first].PriceValue);
        var nearest = f.Measured ? x.Haversine[x.ByExperience[FirstCandidate(x.FitsByExperience, x.ByExperience, 0)]] : 0;
        var nearestMs = f.Measured ? LatencyModel.RttMs(nearest) : 0;
        var nearEnough = f.Measured ? LatencyModel.HaversineForRtt(nearestMs + LatencyBandMs) : double.MaxValue;
        var best = double.MaxValue;
        if (ranking == Ranking.BestExperience)
        {
            // Sorted by distance (measured) or by reputation, best first (not measured: every candidate is near).
            for (var pos = FirstCandidate(x.FitsByExperience, x.ByExperience, 0); pos >= 0; pos = FirstCandidate(x.FitsByExperience, x.ByExperience, pos + 1))
            {
                var i = x.ByExperience[pos];
                if (f.Measured && !(x.Haversine[i] <= nearEnough || x.Haversine[i] == nearest))
                    break;
                best = Math.Min(best, -_hosts[i].Reputation);
                if (!f.Measured)
                    break;
            }
        }
        else if (ranking != Ranking.LowestFee)
        {
            // The experience term is at least 1 (the nearest, or a perfect reputation): a level whose price term
            // with 1 exceeds the best has no better node, nor has any dearer level.
            for (var pos = FirstCandidate(x.FitsByPrice, x.ByPrice, 0); pos >= 0; pos = FirstCandidate(x.FitsByPrice, x.ByPrice, x.NextLevel[pos]))
            {
                ref readonly var h = ref _hosts[x.ByPrice[pos]];
                if ((BalancedPriceWeight * PriceRatio(h.PriceValue, cheapestValue)) + ((1 - BalancedPriceWeight) * 1.0) > best)
                    break;
                var haversine = f.Measured ? x.Haversine[x.ByPrice[pos]] : 0;
                best = Math.Min(best, Score(h.PriceValue, haversine, h.Reputation, f.Measured, cheapestValue, nearestMs));
            }
        }

        var dearest = cheapest * LowestFeeBand;
        var limit = ranking switch
        {
            Ranking.LowestFee => (double)dearest,
            Ranking.BestExperience => best + ReputationBand,
            _ => best * BalancedBand,
        };
        return new Band(ranking, cheapestValue, nearest, nearestMs, nearEnough, limit, dearest);
    }

    // The position of the first candidate at or after `from` in a sorted order; -1 when there is none.
    private int FirstCandidate(ulong[] fits, int[] order, int from)
    {
        for (var pos = NextSet(fits, from); pos >= 0; pos = NextSet(fits, pos + 1))
        {
            if (IsCandidate(order[pos]))
                return pos;
        }

        return -1;
    }

    // Whether the node is in the current band: MarkBand's test on a candidate, asked only of nodes a policy would choose.
    private bool InIndexedBand(int node)
    {
        var x = _index;
        if (x is null || (uint)node >= (uint)_hostCount || (uint)node >= (uint)x.PriceRank.Length)
            return false;
        var pos = x.PriceRank[node];
        if (pos < 0 || (x.FitsByPrice[pos >> 6] & (1UL << pos)) == 0)
            return false;
        return _hosts[node].Taken != _matchStamp && KeyInBand(x, node, _band)
            && _filter.Exclude?.Invoke(node) != true && _filter.Compliance?.Invoke(node) is null;
    }

    // Whether the node's ranking key is within the band's limit (MarkBand's test, without the candidate's).
    private bool KeyInBand(BandIndex x, int node, in Band b)
    {
        ref readonly var h = ref _hosts[node];
        var haversine = x.Measured ? x.Haversine[node] : 0;
        var key = b.Ranking switch
        {
            Ranking.LowestFee => h.PriceValue,
            Ranking.BestExperience => !x.Measured || haversine <= b.NearEnough || haversine == b.Nearest ? -h.Reputation : double.MaxValue,
            _ => Score(h.PriceValue, haversine, h.Reputation, x.Measured, b.CheapestValue, b.NearestMs),
        };
        return !(key > b.Limit || (key == b.Limit && b.Ranking == Ranking.LowestFee && h.Price > b.Dearest));
    }

    // A bit per node whose key is within the band, whether it fits or not: a superset of the band the policy tests
    // before the band's own test. Kept while the band's bounds hold, which they do over many matches.
    private ReadOnlySpan<ulong> MaskOf(BandIndex x, in Band b)
    {
        if (x.MaskValid && x.MaskBand == b)
            return x.BandMask;
        Array.Clear(x.BandMask);
        for (var pos = 0; pos < x.Eligible; pos++)
        {
            var node = x.ByPrice[pos];
            if (KeyInBand(x, node, b))
                x.BandMask[node >> 6] |= 1UL << node;
        }

        (x.MaskBand, x.MaskValid) = (b, true);
        return x.BandMask;
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

    // The order's index, up to date: rebuilt when an offer or availability changed, else its fit bits brought up to date
    // from the cluster's journal (or all tested again when the journal does not reach back).
    private BandIndex IndexFor(in Filter f)
    {
        var countries = _countryOk.AsSpan(0, _countryIds.Count);
        BandIndex? index = null;
        foreach (var x in _indexes)
        {
            if (x.Matches(f, countries))
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

            index.Key(f, countries);
            index.OfferStamp = -1;
        }

        index.LastUsed = ++_useStamp;
        if (index.OfferStamp != _offerStamp || index.Nodes != _hostCount)
        {
            Rebuild(index, f);
            return index;
        }

        _changed.Clear();
        if (!Cluster.TryChangedSince(index.Cursor, _changed))
        {
            for (var pos = 0; pos < index.Eligible; pos++)
                index.SetFits(index.ByPrice[pos], Cluster.Fits(index.ByPrice[pos], f.Request, f.Mask));
        }
        else
        {
            foreach (var node in _changed)
            {
                if (node < index.Nodes && index.PriceRank[node] >= 0)
                    index.SetFits(node, Cluster.Fits(node, f.Request, f.Mask));
            }
        }

        index.Cursor = Cluster.Changes;
        return index;
    }

    // The nodes that pass the offer filters (available, country, price, round trip), sorted, and which of them fit.
    private void Rebuild(BandIndex x, in Filter f)
    {
        var n = _hostCount;
        x.Resize(n);
        var eligible = 0;
        for (var i = 0; i < n; i++)
        {
            ref readonly var h = ref _hosts[i];
            x.PriceRank[i] = -1;
            x.ExperienceRank[i] = -1;
            if (!h.Available || !_countryOk[h.Country] || TooDear(h, f))
                continue;
            x.Haversine[i] = f.Measured ? LatencyModel.Haversine(h.Position, f.From) : 0;
            if (f.Measured && TooFar(x.Haversine[i], f))
                continue;
            x.ByPrice[eligible] = i;
            x.ByExperience[eligible] = i;
            // Experience: the distance, or without a point the reputation, best first.
            x.Experience[i] = f.Measured ? x.Haversine[i] : -h.Reputation;
            eligible++;
        }

        var hosts = _hosts;
        var experience = x.Experience;
        x.ByPrice.AsSpan(0, eligible).Sort((a, b) =>
        {
            var c = hosts[a].PriceValue.CompareTo(hosts[b].PriceValue);
            if (c == 0)
                c = hosts[a].Price.CompareTo(hosts[b].Price);
            if (c == 0)
                c = experience[a].CompareTo(experience[b]);
            return c != 0 ? c : a.CompareTo(b);
        });
        x.ByExperience.AsSpan(0, eligible).Sort((a, b) =>
        {
            var c = experience[a].CompareTo(experience[b]);
            return c != 0 ? c : a.CompareTo(b);
        });
        for (var pos = eligible - 1; pos >= 0; pos--)
        {
            var i = x.ByPrice[pos];
            x.PriceRank[i] = pos;
            x.ExperienceRank[x.ByExperience[pos]] = pos;
            // The next price level: the first position with another price (as a double or as a decimal).
            var next = pos + 1;
            x.NextLevel[pos] = next < eligible && hosts[x.ByPrice[next]].PriceValue == hosts[i].PriceValue && hosts[x.ByPrice[next]].Price == hosts[i].Price
                ? x.NextLevel[next]
                : next;
        }

        x.Eligible = eligible;
        x.MaskValid = false;
        Array.Clear(x.FitsByPrice);
        Array.Clear(x.FitsByExperience);
        for (var pos = 0; pos < eligible; pos++)
            x.SetFits(x.ByPrice[pos], Cluster.Fits(x.ByPrice[pos], f.Request, f.Mask));
        x.OfferStamp = _offerStamp;
        x.Nodes = n;
        x.Cursor = Cluster.Changes;
    }

    // The current band's bounds, as MarkBand works them out.
    private readonly record struct Band(
        Ranking Ranking, double CheapestValue, double Nearest, double NearestMs, double NearEnough, double Limit, decimal Dearest);

    // One order signature's nodes: those that pass the offer filters, sorted by price (then experience) and by
    // experience, with a bit per position that says whether the node fits the order's request now.
    private sealed class BandIndex
    {
        private bool[] _countryOk = [];

        public PlacementRequest? Request { get; private set; }
        public ulong Mask { get; private set; }
        public decimal MaxPrice { get; private set; }
        public bool Measured { get; private set; }
        public GeoVector From { get; private set; }
        public double MaxLatencyMs { get; private set; }

        public long OfferStamp { get; set; } = -1;
        public int Nodes { get; set; }
        public long Cursor { get; set; }
        public long LastUsed { get; set; }
        public int Eligible { get; set; }
        public bool MaskValid { get; set; }
        public Band MaskBand { get; set; }
        public ulong[] BandMask { get; private set; } = [];

        public int[] ByPrice { get; private set; } = [];
        public int[] PriceRank { get; private set; } = [];
        public int[] NextLevel { get; private set; } = [];
        public ulong[] FitsByPrice { get; private set; } = [];
        public int[] ByExperience { get; private set; } = [];
        public int[] ExperienceRank { get; private set; } = [];
        public ulong[] FitsByExperience { get; private set; } = [];
        public double[] Haversine { get; private set; } = [];
        public double[] Experience { get; private set; } = [];

        public bool Matches(in Filter f, ReadOnlySpan<bool> countries) =>
            Request is { } r && r.CpuMilli == f.Request.CpuMilli && r.MemoryMib == f.Request.MemoryMib && r.GpuCount == f.Request.GpuCount
            && r.GpuMilli == f.Request.GpuMilli && Mask == f.Mask && MaxPrice == f.MaxPrice && Measured == f.Measured
            && From == f.From && MaxLatencyMs.Equals(f.MaxLatencyMs) && countries.SequenceEqual(_countryOk);

        public void Key(in Filter f, ReadOnlySpan<bool> countries)
        {
            (Request, Mask, MaxPrice, Measured, From, MaxLatencyMs) = (f.Request, f.Mask, f.MaxPrice, f.Measured, f.From, f.MaxLatencyMs);
            _countryOk = countries.ToArray();
        }

        public void Resize(int nodes)
        {
            if (ByPrice.Length >= nodes && ByPrice.Length > 0)
                return;
            var size = Math.Max(4, nodes);
            (ByPrice, PriceRank, NextLevel, ByExperience, ExperienceRank) = (new int[size], new int[size], new int[size], new int[size], new int[size]);
            (Haversine, Experience) = (new double[size], new double[size]);
            (FitsByPrice, FitsByExperience, BandMask) = (new ulong[(size + 63) / 64], new ulong[(size + 63) / 64], new ulong[(size + 63) / 64]);
        }

        public void SetFits(int node, bool fits)
        {
            Set(FitsByPrice, PriceRank[node], fits);
            Set(FitsByExperience, ExperienceRank[node], fits);
        }

        private static void Set(ulong[] bits, int pos, bool on)
        {
            if (on)
                bits[pos >> 6] |= 1UL << pos;
            else
                bits[pos >> 6] &= ~(1UL << pos);
        }
    }
}

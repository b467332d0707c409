namespace Gpunet.Core.Marketplace;

/// <summary>The bounds of an order's ranking band among the candidates not yet taken: the nodes whose ranking key is
/// within <see cref="Limit"/> of the best. Keys are doubles, smaller better.</summary>
/// <remarks>Prices compare as doubles (decimal to double is monotone) and as decimals only where the doubles tie, so
/// the fee band is exact. Distances compare as haversines; a round trip is worked out only for the balanced score.
/// The plain and the indexed match both use this arithmetic, so that they decide alike.</remarks>
internal readonly record struct RankingBand(
    Ranking Ranking, double CheapestValue, double Nearest, double NearestMs, double NearEnough, double Limit, decimal Dearest)
{
    /// <summary>The band around the best key, given the cheapest price and the nearest haversine among the candidates.</summary>
    public static RankingBand Around(Ranking ranking, decimal cheapest, double cheapestValue, double nearest, double nearestMs, double nearEnough, double best)
    {
        var dearest = cheapest * OrderMatcher.LowestFeeBand;
        var limit = ranking switch
        {
            Ranking.LowestFee => (double)dearest,
            Ranking.BestExperience => best + OrderMatcher.ReputationBand,
            _ => best * OrderMatcher.BalancedBand,
        };
        return new RankingBand(ranking, cheapestValue, nearest, nearestMs, nearEnough, limit, dearest);
    }

    /// <summary>Within <see cref="OrderMatcher.LatencyBandMs"/> of the nearest: the haversine of that round trip.</summary>
    public static double NearEnoughFor(bool measured, double nearestMs) =>
        measured ? LatencyModel.HaversineForRtt(nearestMs + OrderMatcher.LatencyBandMs) : double.MaxValue;

    /// <summary>A candidate's ranking key; within the latency band, the better the reputation the smaller the key.</summary>
    public static double Key(
        Ranking ranking, in MatchHost h, double haversine, bool measured, double cheapestValue, double nearest, double nearEnough, double nearestMs) =>
        ranking switch
        {
            Ranking.LowestFee => h.PriceValue,
            Ranking.BestExperience => !measured || haversine <= nearEnough || haversine == nearest ? -h.Reputation : double.MaxValue,
            _ => Score(h.PriceValue, haversine, h.Reputation, measured, cheapestValue, nearestMs),
        };

    /// <summary>Whether a key (of a host at this price) is within the band.</summary>
    public bool Holds(double key, decimal price) =>
        !(key > Limit || (key == Limit && Ranking == Ranking.LowestFee && price > Dearest));

    /// <summary>Whether the host's key is within the band.</summary>
    public bool Holds(in MatchHost h, double haversine, bool measured) =>
        Holds(Key(Ranking, h, haversine, measured, CheapestValue, Nearest, NearEnough, NearestMs), h.Price);

    /// <summary>The balanced score: 1 is the cheapest price and the nearest (or, without a point, a perfect reputation).</summary>
    public static double Score(double priceValue, double haversine, double reputation, bool measured, double minPrice, double minLatency)
    {
        var experience = measured ? LatencyModel.RttMs(haversine) / minLatency : 1 - reputation + 1;
        return (OrderMatcher.BalancedPriceWeight * PriceRatio(priceValue, minPrice)) + ((1 - OrderMatcher.BalancedPriceWeight) * experience);
    }

    /// <summary>The balanced score's price term: nondecreasing in the price.</summary>
    public static double PriceRatio(double priceValue, double minPrice) =>
        minPrice > 0 ? priceValue / minPrice : priceValue == 0 ? 1 : double.PositiveInfinity;
}

namespace Gpunet.Core.Marketplace;

/// <summary>How the matcher orders the hosts that pass an order's hard filters.</summary>
public enum Ranking
{
    /// <summary><c>balanced</c> (default): fee and experience weighed together.</summary>
    Balanced,
    /// <summary><c>lowest-fee</c>: the cheapest hosts first.</summary>
    LowestFee,
    /// <summary><c>best-experience</c>: the lowest latency and best reputation first.</summary>
    BestExperience,
}

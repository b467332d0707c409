namespace Gpunet.Core.Marketplace;

/// <summary>How <see cref="OrderMatcher"/> finds and places an order's hosts once its filters are resolved: by a
/// pass over every host (<see cref="ScanMatcher"/>, the test oracle) or through per-signature band indexes
/// (<see cref="IndexedMatcher"/>). Both decide alike.</summary>
internal interface IHostMatcher
{
    /// <summary>Places the order's hosts on distinct nodes and allocates them, or allocates nothing and says why not.</summary>
    MatchResult Match(in MatchFilter filter);
}

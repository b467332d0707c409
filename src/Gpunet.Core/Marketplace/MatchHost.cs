namespace Gpunet.Core.Marketplace;

/// <summary>One host's offer as the matcher's hot loops read it, and the plain match's per-match scratch.</summary>
/// <remarks>An array of these structs, indexed by node, keeps a match's pass over 10,000 hosts in cache; the scratch
/// is the haversine to the order's point (its distance), the ranking key, the band stamp it was last marked with and
/// the match stamp it was last taken by.</remarks>
internal struct MatchHost
{
    public bool Available;
    public int Place;
    public decimal Price;
    public double PriceValue;
    public double Reputation;
    public GeoVector Position;
    public double Haversine;
    public double Key;
    public long Band;
    public long Taken;
}

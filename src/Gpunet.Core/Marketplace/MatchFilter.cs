using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Marketplace;

/// <summary>An order's hard filters, resolved once per match: what each host needs, the model mask, the price and
/// round-trip limits, and the caller's compliance check and exclusions.</summary>
internal readonly struct MatchFilter(OrderSpec order, PlacementRequest request, ulong mask, Func<int, string?>? compliance, Func<int, bool>? exclude)
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

    /// <summary>Above the order's price; decimals compared only where the doubles tie (decimal to double is monotone).</summary>
    public bool TooDear(in MatchHost h) =>
        h.PriceValue > MaxPriceValue || (h.PriceValue == MaxPriceValue && h.Price > MaxPrice);

    /// <summary>Beyond the order's round trip: haversines compared against the limit's, with the exact round trip
    /// worked out only within a hair of it, so that the filter is exactly LatencyModel.EstimateRttMs ≤ MaxLatencyMs.</summary>
    public bool TooFar(double haversine)
    {
        const double Hair = 1e-9;
        if (haversine < MaxHaversine * (1 - Hair))
            return false;
        return haversine > (MaxHaversine * (1 + Hair)) + Hair || LatencyModel.RttMs(haversine) > MaxLatencyMs;
    }

    /// <summary>Not excluded by the caller and not refused by its compliance check: the filters that can change
    /// between matches without the matcher knowing.</summary>
    public bool Admits(int node) => Exclude?.Invoke(node) != true && Compliance?.Invoke(node) is null;
}

namespace Gpunet.Core.Marketplace;

/// <summary>An estimate of the network round trip between two points on Earth, from their distance alone.</summary>
/// <remarks>
/// RTT in ms = <see cref="LastMilesMs"/> + distance × 2 × <see cref="RouteFactor"/> / <see cref="FibreKmPerMs"/>:
/// the great-circle distance (haversine, on a sphere of the mean Earth radius) there and back, stretched by 1.5
/// because routes are longer than the great circle, at the speed of light in fibre (about 200 km per ms, two thirds
/// of c), plus 5 ms for the last miles at both ends. Pure; the same inputs always give the same figure.
/// The haversine term sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2) is computed as a quarter of the squared chord between the
/// points' unit vectors (the same quantity), so that the matcher computes a host's vector once.
/// </remarks>
public static class LatencyModel
{
    /// <summary>Mean Earth radius in km (IUGG).</summary>
    public const double EarthRadiusKm = 6371.0088;

    /// <summary>Light in fibre, km per ms one way (refractive index ≈ 1.5).</summary>
    public const double FibreKmPerMs = 200;

    /// <summary>How much longer network routes are than the great circle.</summary>
    public const double RouteFactor = 1.5;

    /// <summary>Milliseconds for the access networks at both ends.</summary>
    public const double LastMilesMs = 5;

    /// <summary>The estimated round trip in ms between two points given in degrees.</summary>
    public static double EstimateRttMs(double lat1, double lon1, double lat2, double lon2) =>
        EstimateRttMs(GeoVector.From(lat1, lon1), GeoVector.From(lat2, lon2));

    /// <summary>The great-circle distance in km between two points given in degrees.</summary>
    public static double DistanceKm(double lat1, double lon1, double lat2, double lon2) =>
        DistanceKm(GeoVector.From(lat1, lon1), GeoVector.From(lat2, lon2));

    internal static double EstimateRttMs(in GeoVector a, in GeoVector b) => RttMs(Haversine(a, b));

    internal static double DistanceKm(in GeoVector a, in GeoVector b) => DistanceKm(Haversine(a, b));

    /// <summary>The haversine of the central angle between two points, hav θ = (chord / 2)²: 0 for one point, 1 for
    /// antipodes. It grows with the distance, so comparing it compares distances without a square root or arcsine.</summary>
    internal static double Haversine(in GeoVector a, in GeoVector b)
    {
        var (dx, dy, dz) = (a.X - b.X, a.Y - b.Y, a.Z - b.Z);
        return ((dx * dx) + (dy * dy) + (dz * dz)) / 4;
    }

    /// <summary>The round trip for a haversine; <see cref="EstimateRttMs(double, double, double, double)"/> is exactly this.</summary>
    internal static double RttMs(double haversine) => LastMilesMs + (DistanceKm(haversine) * 2 * RouteFactor / FibreKmPerMs);

    /// <summary>The haversine of the farthest distance whose round trip is <paramref name="rttMs"/>, the inverse of
    /// <see cref="RttMs"/> up to rounding: negative below the last miles, 1 beyond the antipodes.</summary>
    internal static double HaversineForRtt(double rttMs)
    {
        if (rttMs < LastMilesMs)
            return -1;
        var angle = (rttMs - LastMilesMs) * FibreKmPerMs / (2 * RouteFactor) / EarthRadiusKm;
        if (angle >= Math.PI)
            return 1;
        var s = Math.Sin(angle / 2);
        return s * s;
    }

    // θ = 2 asin(√hav).
    private static double DistanceKm(double haversine) => 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(haversine)));
}

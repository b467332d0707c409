using Gpunet.Core.Marketplace;

namespace Gpunet.Core.Verification;

/// <summary>A place on Earth: latitude and longitude in degrees (WGS 84, treated as a sphere).</summary>
/// <param name="Latitude">Degrees, −90 to 90.</param>
/// <param name="Longitude">Degrees, −180 to 180.</param>
public readonly record struct LocationPoint(double Latitude, double Longitude)
{
    /// <summary>A checked place, or <see cref="ArgumentOutOfRangeException"/> naming the coordinate that is off the globe.</summary>
    public static LocationPoint Create(double latitude, double longitude)
    {
        if (latitude is not (>= -90 and <= 90))
            throw new ArgumentOutOfRangeException(nameof(latitude), latitude, "latitude must be between -90 and 90 degrees");
        if (longitude is not (>= -180 and <= 180))
            throw new ArgumentOutOfRangeException(nameof(longitude), longitude, "longitude must be between -180 and 180 degrees");
        return new LocationPoint(latitude, longitude);
    }

    /// <summary>The great-circle distance in km to <paramref name="other"/> (haversine, mean Earth radius).</summary>
    // One haversine in the core: the matcher's, so that a distance here and a distance there agree.
    public double DistanceKm(LocationPoint other) => LatencyModel.DistanceKm(Latitude, Longitude, other.Latitude, other.Longitude);

    public override string ToString() => FormattableString.Invariant($"{Latitude:0.###},{Longitude:0.###}");
}

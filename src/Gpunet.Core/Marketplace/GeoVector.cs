namespace Gpunet.Core.Marketplace;

/// <summary>A point on Earth as a unit vector (x towards 0° N 0° E, z towards the north pole), for
/// <see cref="LatencyModel"/>.</summary>
internal readonly record struct GeoVector(double X, double Y, double Z)
{
    /// <summary>The unit vector of a latitude and longitude in degrees.</summary>
    public static GeoVector From(double latitude, double longitude)
    {
        var lat = double.DegreesToRadians(latitude);
        var lon = double.DegreesToRadians(longitude);
        var c = Math.Cos(lat);
        return new GeoVector(c * Math.Cos(lon), c * Math.Sin(lon), Math.Sin(lat));
    }
}

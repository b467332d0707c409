using Gpunet.Core.Geography;
using Gpunet.Core.Verification;

namespace Gpunet.Simulation.Verification;

/// <summary>Real data-centre cities on every continent, where simulated hosts and checkers are put.</summary>
internal static class DataCentres
{
    /// <summary>Each city's place and country.</summary>
    public static readonly (string City, LocationPoint At, CountryCode Country)[] Cities =
    [
        ("Frankfurt", new(50.11, 8.68), CountryCode.Parse("DE")), ("Ashburn", new(39.04, -77.49), CountryCode.Parse("US")),
        ("Singapore", new(1.35, 103.82), CountryCode.Parse("SG")), ("Tokyo", new(35.68, 139.69), CountryCode.Parse("JP")),
        ("São Paulo", new(-23.55, -46.63), CountryCode.Parse("BR")), ("London", new(51.51, -0.13), CountryCode.Parse("GB")),
        ("Sydney", new(-33.87, 151.21), CountryCode.Parse("AU")), ("Johannesburg", new(-26.20, 28.05), CountryCode.Parse("ZA")),
        ("Mumbai", new(19.08, 72.88), CountryCode.Parse("IN")), ("San Francisco", new(37.77, -122.42), CountryCode.Parse("US")),
        ("Paris", new(48.86, 2.35), CountryCode.Parse("FR")), ("Warsaw", new(52.23, 21.01), CountryCode.Parse("PL")),
        ("Dubai", new(25.20, 55.27), CountryCode.Parse("AE")), ("Toronto", new(43.65, -79.38), CountryCode.Parse("CA")),
        ("Seoul", new(37.57, 126.98), CountryCode.Parse("KR")), ("Stockholm", new(59.33, 18.07), CountryCode.Parse("SE")),
        ("Madrid", new(40.42, -3.70), CountryCode.Parse("ES")), ("Dallas", new(32.78, -96.80), CountryCode.Parse("US")),
        ("Mexico City", new(19.43, -99.13), CountryCode.Parse("MX")), ("Lagos", new(6.52, 3.38), CountryCode.Parse("NG")),
        ("Amsterdam", new(52.37, 4.90), CountryCode.Parse("NL")), ("Milan", new(45.46, 9.19), CountryCode.Parse("IT")),
        ("Helsinki", new(60.17, 24.94), CountryCode.Parse("FI")), ("Hong Kong", new(22.32, 114.17), CountryCode.Parse("HK")),
        ("Melbourne", new(-37.81, 144.96), CountryCode.Parse("AU")), ("Chicago", new(41.88, -87.63), CountryCode.Parse("US")),
        ("Seattle", new(47.61, -122.33), CountryCode.Parse("US")), ("Buenos Aires", new(-34.60, -58.38), CountryCode.Parse("AR")),
        ("Nairobi", new(-1.29, 36.82), CountryCode.Parse("KE")), ("Bangalore", new(12.97, 77.59), CountryCode.Parse("IN")),
    ];

    /// <summary>The point <paramref name="km"/> from <paramref name="from"/> on the initial bearing given (spherical Earth).</summary>
    public static LocationPoint Destination(LocationPoint from, double bearingDegrees, double km)
    {
        var d = km / 6371.0088;
        var b = double.DegreesToRadians(bearingDegrees);
        var lat1 = double.DegreesToRadians(from.Latitude);
        var lon1 = double.DegreesToRadians(from.Longitude);
        var lat2 = Math.Asin((Math.Sin(lat1) * Math.Cos(d)) + (Math.Cos(lat1) * Math.Sin(d) * Math.Cos(b)));
        var lon2 = lon1 + Math.Atan2(Math.Sin(b) * Math.Sin(d) * Math.Cos(lat1), Math.Cos(d) - (Math.Sin(lat1) * Math.Sin(lat2)));
        var lon = ((double.RadiansToDegrees(lon2) + 540) % 360) - 180;
        return new LocationPoint(Math.Clamp(double.RadiansToDegrees(lat2), -90, 90), lon);
    }
}

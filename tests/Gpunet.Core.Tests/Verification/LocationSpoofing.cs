using Gpunet.Core.Identity;
using Gpunet.Core.Scheduling;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

/// <summary>A simulated network for the location rule: hosts near real data-centre cities, checkers at known places,
/// and round trips = true distance / 100 km per ms + an extra delay ≥ 0 (the matcher's route factor 1.5 and 5 ms of last
/// miles) with ±30 % uniform jitter on the extra part.</summary>
internal static class LocationSpoofing
{
    /// <summary>Data-centre cities on every continent.</summary>
    public static readonly LocationPoint[] Cities =
    [
        new(50.11, 8.68), new(52.37, 4.90), new(51.51, -0.13), new(48.86, 2.35), new(59.33, 18.07), new(40.42, -3.70),
        new(45.46, 9.19), new(52.23, 21.01), new(60.17, 24.94), new(41.01, 28.98), new(55.76, 37.62), new(25.20, 55.27),
        new(35.69, 51.39), new(19.08, 72.88), new(12.97, 77.59), new(1.35, 103.82), new(22.32, 114.17), new(31.23, 121.47),
        new(39.90, 116.41), new(35.68, 139.69), new(37.57, 126.98), new(25.03, 121.57), new(-33.87, 151.21), new(-37.81, 144.96),
        new(39.04, -77.49), new(40.71, -74.01), new(41.88, -87.63), new(32.78, -96.80), new(37.77, -122.42), new(47.61, -122.33),
        new(43.65, -79.38), new(19.43, -99.13), new(-23.55, -46.63), new(-34.60, -58.38), new(-33.45, -70.67), new(-26.20, 28.05),
        new(6.52, 3.38), new(30.04, 31.24), new(-1.29, 36.82), new(33.57, -7.59),
    ];

    /// <summary>Frankfurt, Ashburn and Singapore: three checkers in different countries on three continents.</summary>
    public static readonly (Address Checker, LocationPoint At)[] WorldCheckers =
    [
        (Address.Parse("0x" + new string('1', 40)), new LocationPoint(50.11, 8.68)),
        (Address.Parse("0x" + new string('2', 40)), new LocationPoint(39.04, -77.49)),
        (Address.Parse("0x" + new string('3', 40)), new LocationPoint(1.35, 103.82)),
    ];

    /// <summary>Frankfurt, Paris and Warsaw: a devnet-like set, three countries on one continent.</summary>
    public static readonly (Address Checker, LocationPoint At)[] EuropeCheckers =
    [
        (Address.Parse("0x" + new string('1', 40)), new LocationPoint(50.11, 8.68)),
        (Address.Parse("0x" + new string('4', 40)), new LocationPoint(48.86, 2.35)),
        (Address.Parse("0x" + new string('5', 40)), new LocationPoint(52.23, 21.01)),
    ];

    /// <summary>Twelve checkers in twelve countries on six continents, from which a day of random assignments draws.</summary>
    public static readonly (Address Checker, LocationPoint At)[] WorldPool =
    [
        .. WorldCheckers,
        (Address.Parse("0x" + new string('6', 40)), new LocationPoint(-23.55, -46.63)),
        (Address.Parse("0x" + new string('7', 40)), new LocationPoint(35.68, 139.69)),
        (Address.Parse("0x" + new string('8', 40)), new LocationPoint(-26.20, 28.05)),
        (Address.Parse("0x" + new string('9', 40)), new LocationPoint(-33.87, 151.21)),
        (Address.Parse("0x" + new string('a', 40)), new LocationPoint(19.08, 72.88)),
        (Address.Parse("0x" + new string('b', 40)), new LocationPoint(51.51, -0.13)),
        (Address.Parse("0x" + new string('c', 40)), new LocationPoint(37.77, -122.42)),
        (Address.Parse("0x" + new string('d', 40)), new LocationPoint(25.20, 55.27)),
        (Address.Parse("0x" + new string('e', 40)), new LocationPoint(52.23, 21.01)),
    ];

    /// <summary><paramref name="count"/> distinct checkers drawn at random from <paramref name="pool"/>.</summary>
    public static (Address Checker, LocationPoint At)[] Draw((Address Checker, LocationPoint At)[] pool, int count, ref SeededRandom random)
    {
        var copy = pool.ToArray();
        for (var i = 0; i < count; i++)
        {
            var j = i + random.NextInt(copy.Length - i);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }

        return copy[..count];
    }

    /// <summary>A host somewhere within 300 km of a random city.</summary>
    public static LocationPoint RandomHost(ref SeededRandom random)
    {
        var city = Cities[random.NextInt(Cities.Length)];
        return Destination(city, Uniform(ref random, 0, 360), Uniform(ref random, 0, 300));
    }

    /// <summary>The round trips the checkers measure to a host truly at <paramref name="at"/>.</summary>
    public static LocationProbe[] Probes((Address Checker, LocationPoint At)[] checkers, LocationPoint at, ref SeededRandom random)
    {
        var probes = new LocationProbe[checkers.Length];
        for (var i = 0; i < checkers.Length; i++)
        {
            var km = checkers[i].At.DistanceKm(at);
            var extra = (km * 0.5 / 100) + 5;
            probes[i] = new LocationProbe(checkers[i].Checker, checkers[i].At, (km / 100) + (extra * Uniform(ref random, 0.7, 1.3)));
        }

        return probes;
    }

    /// <summary>The point <paramref name="km"/> from <paramref name="from"/> on the initial bearing given (spherical Earth).</summary>
    public static LocationPoint Destination(LocationPoint from, double bearingDegrees, double km) =>
        Gpunet.Simulation.Verification.DataCentres.Destination(from, bearingDegrees, km);

    public static double Uniform(ref SeededRandom random, double min, double max) =>
        min + ((max - min) * (random.NextUInt64() >> 11) * (1.0 / (1UL << 53)));
}

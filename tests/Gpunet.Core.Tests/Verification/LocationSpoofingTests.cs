using Gpunet.Core.Scheduling;
using Gpunet.Core.Verification;
using Xunit.Abstractions;

namespace Gpunet.Core.Tests.Verification;

/// <summary>The target, measured: how often a host that declares a place ≥ 1,000 km from where it is gets
/// flagged, and how often an honest host does. Rates are printed (run with
/// <c>--logger "console;verbosity=detailed"</c>); the asserted floors are the measured figures rounded down.</summary>
public sealed class LocationSpoofingTests(ITestOutputHelper output)
{
    private const int Hosts = 20_000;

    // Checkers: "world" = Frankfurt, Ashburn, Singapore; "europe" = Frankfurt, Paris, Warsaw; "poolK" = K distinct
    // checkers drawn per host from twelve on six continents (what a day of random 3-checker assignments accumulates).
    [Theory]
    [InlineData("world", 1000, 3000, 0.95)]
    [InlineData("world", 1000, 1500, 0.89)]
    [InlineData("europe", 1000, 3000, 0.87)]
    [InlineData("pool3", 1000, 3000, 0.93)]
    [InlineData("pool5", 1000, 3000, 0.98)]
    [InlineData("pool7", 1000, 3000, 0.99)]
    public void Evaluate_SpooferDeclaringFarAway_FlaggedAtMeasuredRate(string checkers, double minKm, double maxKm, double floor)
    {
        var random = new SeededRandom(14);
        int flagged = 0, impossible = 0;
        for (var i = 0; i < Hosts; i++)
        {
            var set = Checkers(checkers, ref random);
            var truly = LocationSpoofing.RandomHost(ref random);
            var declared = LocationSpoofing.Destination(truly, LocationSpoofing.Uniform(ref random, 0, 360), LocationSpoofing.Uniform(ref random, minKm, maxKm));
            var verdict = LocationRoundTrips.Evaluate(declared, LocationSpoofing.Probes(set, truly, ref random));
            flagged += verdict.Flagged ? 1 : 0;
            impossible += verdict.Impossible ? 1 : 0;
        }

        var rate = (double)flagged / Hosts;
        output.WriteLine($"{checkers} checkers, spoofers {minKm}-{maxKm} km off: flagged {rate:P2} ({flagged}/{Hosts}), by physics alone {(double)impossible / Hosts:P2}");
        Assert.True(rate >= floor, $"flagged {rate:P2} of spoofers, measured floor {floor:P0}");
    }

    [Theory]
    [InlineData("world")]
    [InlineData("europe")]
    [InlineData("pool7")]
    public void Evaluate_HonestHostUnderJitter_NeverFlagged(string checkers)
    {
        var random = new SeededRandom(15);
        var flagged = 0;
        for (var i = 0; i < Hosts; i++)
        {
            var set = Checkers(checkers, ref random);
            var truly = LocationSpoofing.RandomHost(ref random);
            flagged += LocationRoundTrips.Evaluate(truly, LocationSpoofing.Probes(set, truly, ref random)).Flagged ? 1 : 0;
        }

        output.WriteLine($"{checkers} checkers, honest hosts: flagged {(double)flagged / Hosts:P2} ({flagged}/{Hosts})");
        Assert.Equal(0, flagged);
    }

    private static (Gpunet.Core.Identity.Address Checker, LocationPoint At)[] Checkers(string name, ref SeededRandom random) => name switch
    {
        "world" => LocationSpoofing.WorldCheckers,
        "europe" => LocationSpoofing.EuropeCheckers,
        _ => LocationSpoofing.Draw(LocationSpoofing.WorldPool, int.Parse(name[4..], System.Globalization.CultureInfo.InvariantCulture), ref random),
    };
}

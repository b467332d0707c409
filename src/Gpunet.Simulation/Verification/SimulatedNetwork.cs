using Gpunet.Core.Marketplace;
using Gpunet.Core.Scheduling;

namespace Gpunet.Simulation.Verification;

/// <summary>Round trips between checkers and hosts: the fibre floor over the true distance, plus the path's stretch and
/// the host's last miles, the part above the floor jittered on every sample.</summary>
/// <remarks>Round trip = d/100 km per ms (light in fibre, there and back, <see cref="LatencyModel.FibreKmPerMs"/>) +
/// (d × (stretch − 1)/100 + last miles) × (1 ± jitter), stretch = 1.5 (<see cref="LatencyModel.RouteFactor"/>) ± the
/// path-stretch spread, fixed per checker–host pair. Nothing goes below the floor: a host can add delay, never remove
/// it. This is the delay model the location rule assumes (<c>LocationDelayModel</c>) when the spread is 0 and the
/// jitter is at most its 30 %; a wider spread or jitter is a network the rule was not calibrated for.</remarks>
internal sealed class SimulatedNetwork(VerificationOptions options)
{
    private const double FloorKmPerMs = LatencyModel.FibreKmPerMs / 2;

    /// <summary>One round trip from <paramref name="checker"/> to <paramref name="host"/>, ms.</summary>
    public double RoundTripMs(SimulatedChecker checker, SimulatedHost host, SimRandom random)
    {
        var km = checker.At.DistanceKm(host.TrueAt);
        var above = (km * (Stretch(checker, host) - 1) / FloorKmPerMs) + host.LastMilesMs;
        return (km / FloorKmPerMs) + (above * (1 + (options.Jitter * ((2 * random.Next()) - 1))));
    }

    /// <summary>What a lazy checker makes up without probing: the delay model's average for the declared place, the
    /// lie least likely to stand out.</summary>
    public static double MadeUpRoundTripMs(SimulatedChecker checker, SimulatedHost host) =>
        LatencyModel.EstimateRttMs(checker.At.Latitude, checker.At.Longitude, host.DeclaredAt.Latitude, host.DeclaredAt.Longitude);

    // The pair's stretch, the same every time it is asked: drawn from the run's seed and the pair, not from the run's
    // random sequence, so that asking does not shift every later draw.
    private double Stretch(SimulatedChecker checker, SimulatedHost host)
    {
        if (options.PathStretchSpread == 0)
            return LatencyModel.RouteFactor;
        var pair = new SeededRandom(options.Seed ^ ((ulong)(uint)host.Index << 32) ^ (uint)checker.Index ^ 0x5EED_57E7_C400_0000UL);
        var u = (pair.NextUInt64() >> 11) * (1.0 / (1UL << 53));
        return LatencyModel.RouteFactor + (options.PathStretchSpread * ((2 * u) - 1));
    }
}

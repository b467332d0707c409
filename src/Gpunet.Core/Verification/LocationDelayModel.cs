using Gpunet.Core.Marketplace;

namespace Gpunet.Core.Verification;

/// <summary>How far a round trip lets a host be from the checker that measured it: a hard bound from physics and a
/// narrower plausible band from the network's delay model.</summary>
/// <remarks>
/// <para><b>Physics</b> (proof): nothing a host does makes a round trip shorter than light covering the distance there
/// and back in glass. <see cref="MaxKmPerMsOfRoundTrip"/> = c / n / 2 with c = 299,792.458 km/s (exact, SI definition
/// of the metre) and n = 1.4676, the group index of Corning SMF-28 Ultra single-mode fibre at 1310 nm (its datasheet;
/// 1.4682 at 1550 nm, the lower index is taken so that the bound is the generous one): 102.14 km per ms of round trip,
/// the "about 100 km per millisecond" of the issue. A declared place farther than that from a checker is impossible.</para>
/// <para><b>Plausibility</b> (evidence): a host can add delay but never remove it, so physics alone only catches a
/// place declared too far from a checker. Real routes are longer than the great circle and the last miles add time, so
/// an honest host's round trip lies in a band around <see cref="LatencyModel"/>'s estimate (route factor 1.5, 5 ms of
/// last miles over the fibre floor of 100 km per ms): the part above the floor varies by ±<see cref="Jitter"/>. A round
/// trip outside the band of the declared place (too fast: the host is nearer the checker than declared; too slow: it is
/// farther) is inconsistent with the evidence, not a proof: a real network must calibrate the band per checker
/// (constraint-based geolocation, Gueye et al., IEEE/ACM ToN 2006) before it flags on it alone.</para>
/// </remarks>
/// <param name="MaxKmPerMsOfRoundTrip">The physical bound, km per ms of round trip.</param>
/// <param name="FloorKmPerMsOfRoundTrip">The fibre floor of the delay model, km per ms of round trip (200 km/ms one way).</param>
/// <param name="RouteFactor">How much longer routes are than the great circle, on average.</param>
/// <param name="LastMilesMs">Milliseconds the access networks at both ends add, on average.</param>
/// <param name="Jitter">How far the part of a round trip above the fibre floor may stray from its average, as a fraction
/// (0.3: ±30 %).</param>
public sealed record LocationDelayModel(
    double MaxKmPerMsOfRoundTrip = LocationDelayModel.FibreKmPerMsOfRoundTrip,
    double FloorKmPerMsOfRoundTrip = LatencyModel.FibreKmPerMs / 2,
    double RouteFactor = LatencyModel.RouteFactor,
    double LastMilesMs = LatencyModel.LastMilesMs,
    double Jitter = 0.3)
{
    /// <summary>Light in fibre, km per ms of round trip: 299,792.458 km/s ÷ 1.4676 (SMF-28 Ultra at 1310 nm) ÷ 2 ÷ 1000.</summary>
    public const double FibreKmPerMsOfRoundTrip = 299_792.458 / 1.4676 / 2 / 1000;

    /// <summary>The defaults: <see cref="LatencyModel"/> with ±30 % jitter, the honest-network assumption.</summary>
    public static LocationDelayModel Default { get; } = new();

    /// <summary>The farthest a host can physically be from the checker, in km.</summary>
    public double MaxReachKm(double roundTripMs) => roundTripMs * MaxKmPerMsOfRoundTrip;

    /// <summary>The distances in km at which an honest host's round trip could be <paramref name="roundTripMs"/>:
    /// never beyond <see cref="MaxReachKm"/>.</summary>
    public (double MinKm, double MaxKm) PlausibleKm(double roundTripMs)
    {
        // RTT(d) = d/floor + (1 ± jitter) × (d × (route − 1)/floor + last miles); solved for d at both ends of the band.
        var slow = 1 + Jitter;
        var fast = 1 - Jitter;
        var min = (roundTripMs - (slow * LastMilesMs)) * FloorKmPerMsOfRoundTrip / (1 + (slow * (RouteFactor - 1)));
        var max = (roundTripMs - (fast * LastMilesMs)) * FloorKmPerMsOfRoundTrip / (1 + (fast * (RouteFactor - 1)));
        return (Math.Max(0, min), Math.Min(Math.Max(0, max), MaxReachKm(roundTripMs)));
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot describe a network.</summary>
    public void Validate()
    {
        if (MaxKmPerMsOfRoundTrip is not (> 0 and < double.PositiveInfinity))
            throw new ArgumentException("must be a positive number of km per ms", nameof(MaxKmPerMsOfRoundTrip));
        if (FloorKmPerMsOfRoundTrip is not (> 0 and < double.PositiveInfinity))
            throw new ArgumentException("must be a positive number of km per ms", nameof(FloorKmPerMsOfRoundTrip));
        if (RouteFactor is not (>= 1 and < double.PositiveInfinity))
            throw new ArgumentException("must be at least 1: a route is never shorter than the great circle", nameof(RouteFactor));
        if (LastMilesMs is not (>= 0 and < double.PositiveInfinity))
            throw new ArgumentException("must be zero or more milliseconds", nameof(LastMilesMs));
        if (Jitter is not (>= 0 and <= 1))
            throw new ArgumentException("must be a fraction from 0 to 1", nameof(Jitter));
    }
}

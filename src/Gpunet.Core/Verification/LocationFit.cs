using Gpunet.Core.Marketplace;

namespace Gpunet.Core.Verification;

/// <summary>Estimates where a host is from the round trips checkers at known places measured to it.</summary>
/// <remarks>
/// <para><see cref="Fit"/>: the point that minimises Σ ((distance to checker i − dᵢ) / σᵢ)², where dᵢ is the distance
/// the delay model gives for the round trip with no jitter ((rtt − last miles) × fibre floor / route factor, at most
/// light's reach) and σᵢ half the width of its plausible band (<see cref="LocationDelayModel.PlausibleKm"/>, at least
/// <see cref="MinSpreadKm"/>): a near checker's short round trip pins the host more tightly than a far one's, whose
/// jitter is hundreds of km.</para>
/// <para>Search: a coarse grid over the whole globe every <see cref="CoarseStepDegrees"/>°, then a pattern search
/// (3 × 3 neighbours, step halved when none is better) from each of the <see cref="Starts"/> best grid points, down to
/// <see cref="FineStepDegrees"/>° (about 1 km). Why not Gauss-Newton alone: on a sphere with three to five checkers the
/// error surface has several minima (two circles cross twice; a ring far from every checker), and Newton's steps go
/// to whichever is nearest the start; the grid finds the right basin first, and it costs about 16,000 × k distance
/// evaluations (0.5 ms for three checkers, 0.9 ms for five: <c>LocationFitBenchmarks</c>) with no derivative to get
/// wrong across the date line or at the poles. Deterministic: the same probes always give the same point.</para>
/// <para><see cref="Estimate"/>: the declared place when the round trips are consistent with it (an honest host knows
/// its place better than triangulation does) or when fewer than <see cref="MinProbes"/> checkers measured it (one or
/// two circles do not fix a point); otherwise the fit.</para>
/// </remarks>
public static class LocationFit
{
    /// <summary>Checkers needed for a fit: three circles fix a point on a sphere, fewer leave a ring or two points.</summary>
    public const int MinProbes = 3;

    /// <summary>The least σ of a round trip, km: the band of a checker next door is narrower than where a city is.</summary>
    public const double MinSpreadKm = 25;

    /// <summary>The coarse grid's spacing, degrees (about 220 km).</summary>
    public const double CoarseStepDegrees = 2;

    /// <summary>Where the pattern search stops, degrees (about 1 km).</summary>
    public const double FineStepDegrees = 0.01;

    /// <summary>How many of the best coarse points the fine search starts from.</summary>
    public const int Starts = 4;

    /// <summary>The place to use for a host that declared <paramref name="declared"/> and was measured by
    /// <paramref name="probes"/>.</summary>
    /// <exception cref="ArgumentException">A round trip that is negative or not a number.</exception>
    public static LocationEstimate Estimate(LocationPoint declared, IReadOnlyList<LocationProbe> probes, LocationDelayModel? model = null)
    {
        var verdict = LocationRoundTrips.Evaluate(declared, probes, model);
        if (verdict.Finding != LocationRoundTripFinding.Inconsistent || probes.Count < MinProbes)
            return new LocationEstimate(declared, Measured: false, verdict);
        return new LocationEstimate(Fit(probes, model)!.Value, Measured: true, verdict);
    }

    /// <summary>The place that best fits <paramref name="probes"/>; null when there are none.</summary>
    /// <exception cref="ArgumentException">A round trip that is negative or not a number.</exception>
    public static LocationPoint? Fit(IReadOnlyList<LocationProbe> probes, LocationDelayModel? model = null)
    {
        ArgumentNullException.ThrowIfNull(probes);
        model ??= LocationDelayModel.Default;
        model.Validate();
        if (probes.Count == 0)
            return null;

        var rings = new Ring[probes.Count];
        for (var i = 0; i < probes.Count; i++)
        {
            var p = probes[i];
            if (p.RoundTripMs is not (>= 0 and < double.PositiveInfinity))
                throw new ArgumentException($"the round trip from checker {p.Checker} must be zero or more milliseconds, not {p.RoundTripMs}", nameof(probes));
            var (minKm, maxKm) = model.PlausibleKm(p.RoundTripMs);
            // The delay model without jitter, solved for the distance; never beyond light's reach.
            var km = Math.Clamp((p.RoundTripMs - model.LastMilesMs) * model.FloorKmPerMsOfRoundTrip / model.RouteFactor, 0, model.MaxReachKm(p.RoundTripMs));
            var sigma = Math.Max(MinSpreadKm, (maxKm - minKm) / 2);
            rings[i] = new Ring(GeoVector.From(p.CheckerAt.Latitude, p.CheckerAt.Longitude), km, 1 / (sigma * sigma));
        }

        var starts = Coarse(rings);
        var best = starts[0];
        foreach (var start in starts)
        {
            var found = Refine(rings, start);
            // Ties go to the earlier start, so the order of equal minima is the grid's, not the floating point's luck.
            if (found.Error < best.Error)
                best = found;
        }

        return new LocationPoint(best.Latitude, best.Longitude);
    }

    /// <summary>The <see cref="Starts"/> best points of the coarse grid, best first.</summary>
    private static List<Candidate> Coarse(Ring[] rings)
    {
        var lons = (int)(360 / CoarseStepDegrees);
        var cosLon = new double[lons];
        var sinLon = new double[lons];
        for (var j = 0; j < lons; j++)
            (sinLon[j], cosLon[j]) = Math.SinCos(double.DegreesToRadians(-180 + (j * CoarseStepDegrees)));

        var best = new List<Candidate>(Starts + 1);
        var lats = (int)(180 / CoarseStepDegrees);
        for (var i = 0; i <= lats; i++)
        {
            var lat = -90 + (i * CoarseStepDegrees);
            var (sinLat, cosLat) = Math.SinCos(double.DegreesToRadians(lat));
            for (var j = 0; j < lons; j++)
            {
                var error = Error(rings, new GeoVector(cosLat * cosLon[j], cosLat * sinLon[j], sinLat));
                if (best.Count == Starts && error >= best[^1].Error)
                    continue;
                var at = best.Count;
                while (at > 0 && error < best[at - 1].Error)
                    at--;
                best.Insert(at, new Candidate(lat, -180 + (j * CoarseStepDegrees), error));
                if (best.Count > Starts)
                    best.RemoveAt(Starts);
            }
        }

        return best;
    }

    /// <summary>Pattern search from <paramref name="start"/>: the best of the 8 neighbours at the current step, or half
    /// the step when none is better.</summary>
    private static Candidate Refine(Ring[] rings, Candidate start)
    {
        var current = start;
        var step = CoarseStepDegrees;
        while (step >= FineStepDegrees)
        {
            var next = current;
            for (var dLat = -1; dLat <= 1; dLat++)
            {
                for (var dLon = -1; dLon <= 1; dLon++)
                {
                    if (dLat == 0 && dLon == 0)
                        continue;
                    var lat = Math.Clamp(current.Latitude + (dLat * step), -90, 90);
                    var lon = Wrap(current.Longitude + (dLon * step));
                    var error = Error(rings, GeoVector.From(lat, lon));
                    if (error < next.Error)
                        next = new Candidate(lat, lon, error);
                }
            }

            if (next.Error < current.Error)
                current = next;
            else
                step /= 2;
        }

        return current;
    }

    private static double Error(Ring[] rings, in GeoVector at)
    {
        var sum = 0.0;
        foreach (var ring in rings)
        {
            var miss = LatencyModel.DistanceKm(at, ring.Checker) - ring.Km;
            sum += miss * miss * ring.Weight;
        }

        return sum;
    }

    // Longitude back into [−180, 180).
    private static double Wrap(double longitude) => longitude >= 180 ? longitude - 360 : longitude < -180 ? longitude + 360 : longitude;

    /// <summary>One checker's round trip as a ring: its centre, radius in km and weight 1/σ².</summary>
    private readonly record struct Ring(GeoVector Checker, double Km, double Weight);

    private sealed record Candidate(double Latitude, double Longitude, double Error);
}

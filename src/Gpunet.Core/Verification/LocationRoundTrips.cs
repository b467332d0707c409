namespace Gpunet.Core.Verification;

/// <summary>Tests a host's declared place against the round trips checkers at known places measured to it.</summary>
/// <remarks>Pure: the same declared place, probes and model always give the same verdict. Each probe bounds the host to
/// an annulus around its checker (<see cref="LocationDelayModel"/>); the feasible region is their intersection, and the
/// declared place must lie in it.</remarks>
public static class LocationRoundTrips
{
    /// <summary>The verdict on <paramref name="declared"/> given <paramref name="probes"/>.</summary>
    /// <exception cref="ArgumentException">A round trip that is negative or not a number, named by its checker.</exception>
    public static LocationVerdict Evaluate(LocationPoint declared, IReadOnlyList<LocationProbe> probes, LocationDelayModel? model = null)
    {
        ArgumentNullException.ThrowIfNull(probes);
        model ??= LocationDelayModel.Default;
        model.Validate();

        var bounds = new List<LocationBound>(probes.Count);
        var breaches = new List<LocationBreach>();
        foreach (var p in probes)
        {
            if (p.RoundTripMs is not (>= 0 and < double.PositiveInfinity))
                throw new ArgumentException($"the round trip from checker {p.Checker} must be zero or more milliseconds, not {p.RoundTripMs}", nameof(probes));

            var (minKm, maxKm) = model.PlausibleKm(p.RoundTripMs);
            var bound = new LocationBound(p.Checker, p.CheckerAt, p.RoundTripMs, minKm, maxKm, model.MaxReachKm(p.RoundTripMs));
            bounds.Add(bound);

            var km = p.CheckerAt.DistanceKm(declared);
            if (km > bound.MaxPossibleKm)
                breaches.Add(new LocationBreach(bound, LocationBreachKind.BeyondReach, km, km - bound.MaxPossibleKm));
            else if (km > maxKm)
                breaches.Add(new LocationBreach(bound, LocationBreachKind.FartherThanPlausible, km, km - maxKm));
            else if (km < minKm)
                breaches.Add(new LocationBreach(bound, LocationBreachKind.NearerThanPlausible, km, minKm - km));
        }

        // Worst first: proof before plausibility, then the largest miss; the checker's address breaks ties so that the
        // order of the probes does not change the verdict.
        breaches.Sort((a, b) =>
        {
            var byProof = b.IsProof.CompareTo(a.IsProof);
            if (byProof != 0)
                return byProof;
            var byKm = b.ByKm.CompareTo(a.ByKm);
            return byKm != 0 ? byKm : string.CompareOrdinal(a.Bound.Checker.Value, b.Bound.Checker.Value);
        });

        var finding = probes.Count == 0 ? LocationRoundTripFinding.Unmeasured
            : breaches.Count == 0 ? LocationRoundTripFinding.Consistent
            : LocationRoundTripFinding.Inconsistent;
        return new LocationVerdict(declared, finding, bounds, breaches);
    }
}

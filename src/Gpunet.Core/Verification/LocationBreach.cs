using System.Globalization;

namespace Gpunet.Core.Verification;

/// <summary>One checker's bound that a declared place breaks, and by how much.</summary>
/// <param name="Bound">The checker's annulus.</param>
/// <param name="Kind">Which edge of it.</param>
/// <param name="DeclaredKm">The great-circle distance from the checker to the declared place.</param>
/// <param name="ByKm">How far past the edge the declared place lies, km (always positive).</param>
public sealed record LocationBreach(LocationBound Bound, LocationBreachKind Kind, double DeclaredKm, double ByKm)
{
    /// <summary>Whether this breach alone proves the declared place false (physics, not the delay model).</summary>
    public bool IsProof => Kind == LocationBreachKind.BeyondReach;

    /// <summary>One line for the operator and the audit log.</summary>
    public string Explain() => Kind switch
    {
        LocationBreachKind.BeyondReach => string.Create(CultureInfo.InvariantCulture,
            $"checker {Bound.Checker} measured {Bound.RoundTripMs:0.0} ms: light in fibre reaches {Bound.MaxPossibleKm:0} km, the declared place is {DeclaredKm:0} km away ({ByKm:0} km too far, impossible)"),
        LocationBreachKind.FartherThanPlausible => string.Create(CultureInfo.InvariantCulture,
            $"checker {Bound.Checker} measured {Bound.RoundTripMs:0.0} ms: an honest host is at most {Bound.MaxPlausibleKm:0} km away, the declared place is {DeclaredKm:0} km away ({ByKm:0} km too far)"),
        _ => string.Create(CultureInfo.InvariantCulture,
            $"checker {Bound.Checker} measured {Bound.RoundTripMs:0.0} ms: an honest host is at least {Bound.MinPlausibleKm:0} km away, the declared place is {DeclaredKm:0} km away ({ByKm:0} km too near)"),
    };
}

using Gpunet.Core.Identity;

namespace Gpunet.Core.Verification;

/// <summary>What one checker's round trip says about where a host can be: an annulus around the checker.</summary>
/// <param name="Checker">The checker that measured.</param>
/// <param name="CheckerAt">Where it is.</param>
/// <param name="RoundTripMs">The round trip it measured, ms.</param>
/// <param name="MinPlausibleKm">An honest host this near would have answered faster.</param>
/// <param name="MaxPlausibleKm">An honest host this far would have answered slower.</param>
/// <param name="MaxPossibleKm">Light in fibre goes no farther in the time: a host beyond it is impossible.</param>
public sealed record LocationBound(
    Address Checker, LocationPoint CheckerAt, double RoundTripMs, double MinPlausibleKm, double MaxPlausibleKm, double MaxPossibleKm);

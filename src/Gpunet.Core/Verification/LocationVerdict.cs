namespace Gpunet.Core.Verification;

/// <summary>Whether a host's declared place fits the round trips measured to it, with the evidence either way.</summary>
/// <param name="Declared">The place the host declared.</param>
/// <param name="Finding">Consistent, inconsistent or unmeasured.</param>
/// <param name="Bounds">Every checker's annulus, in the order the probes came.</param>
/// <param name="Breaches">The bounds the declared place breaks, worst first; empty unless inconsistent.</param>
public sealed record LocationVerdict(
    LocationPoint Declared, LocationRoundTripFinding Finding, IReadOnlyList<LocationBound> Bounds, IReadOnlyList<LocationBreach> Breaches)
{
    /// <summary>Whether compliance should treat the place as unconfirmed (inconsistent, or not measured yet).</summary>
    public bool Flagged => Finding != LocationRoundTripFinding.Consistent;

    /// <summary>Whether physics alone rules the declared place out (some breach is <see cref="LocationBreach.IsProof"/>).</summary>
    public bool Impossible => Breaches.Any(b => b.IsProof);
}

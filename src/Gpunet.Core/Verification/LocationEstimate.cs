namespace Gpunet.Core.Verification;

/// <summary>Where the matcher should take a host to be: its declared place, or, when the round trips contradict it,
/// the place they point to.</summary>
/// <param name="At">The place to use.</param>
/// <param name="Measured">True when <see cref="At"/> is the fit of the round trips, false when it is the declared
/// place.</param>
/// <param name="Verdict">The declared place against the round trips (<see cref="LocationRoundTrips.Evaluate"/>).</param>
public sealed record LocationEstimate(LocationPoint At, bool Measured, LocationVerdict Verdict);

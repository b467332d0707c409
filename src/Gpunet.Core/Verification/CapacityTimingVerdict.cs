namespace Gpunet.Core.Verification;

/// <summary>The timing half of a capacity check: was the answer as fast as the claimed model?</summary>
/// <param name="Passed">True when the answer came within <paramref name="Limit"/>.</param>
/// <param name="Expected">The claimed model's expected compute time for the work asked.</param>
/// <param name="Limit">The latest an honest host's answer could come: expected × (1 + card band) + round trip ×
/// (1 + jitter band).</param>
/// <param name="SpeedOfClaimed">The host's compute speed as a share of the claimed model's expected speed (measured
/// time less the round trip); 0.7 means 30 % slower.</param>
/// <param name="Reason">One sentence for the report.</param>
public sealed record CapacityTimingVerdict(bool Passed, TimeSpan Expected, TimeSpan Limit, double SpeedOfClaimed, string Reason);

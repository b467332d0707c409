namespace Gpunet.Core.Verification;

/// <summary>The timing half of a capacity check: was the answer as fast as the claimed model?</summary>
/// <param name="Passed">True when the answer came within <paramref name="Limit"/>.</param>
/// <param name="Expected">The claimed model's expected compute time for the work asked.</param>
/// <param name="Limit">The latest an honest host's answer could come: expected × (1 + card band) + round trip ×
/// (1 + jitter band).</param>
/// <param name="SpeedOfClaimed">The host's compute speed as a share of the claimed model's expected speed (measured
/// time less the round trip); 0.7 means 30 % slower.</param>
/// <param name="Reason">One sentence for the report.</param>
public sealed record CapacityTimingVerdict(bool Passed, TimeSpan Expected, TimeSpan Limit, double SpeedOfClaimed, string Reason)
{
    /// <summary>This verdict where the timing is only reported: a too-slow answer passes, saying why it was not failed.</summary>
    /// <remarks>For real GPUs until the agent's kernel is measured on real cards: <see cref="GpuThroughput"/>'s figures
    /// are tensor-core throughput, which the agent's kernel (CUDA cores) does not reach, so every honest real host
    /// would be too slow, and failing a capacity check slashes for deceit. The product's rows are still verified.</remarks>
    public CapacityTimingVerdict ReportedOnly() => Passed
        ? this
        : this with { Passed = true, Reason = $"Timing reported, not enforced, on a real GPU (not yet calibrated): {Reason}" };
}

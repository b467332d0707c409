namespace Gpunet.Core.Verification;

/// <summary>How much slower than expected a capacity answer may be and still pass.</summary>
public sealed record CapacityTimingOptions
{
    /// <summary>Share by which an honest card may be slower than its model's expected time: identical cards differ
    /// by a few per cent (silicon, cooling, power limits, clocks). Default 0.08.</summary>
    public double CardBand { get; init; } = 0.08;

    /// <summary>Share by which the network round trip during the check may exceed the round trip the checker measured
    /// for the host beforehand. Default 0.30 (the ±30 % jitter of the target).</summary>
    public double JitterBand { get; init; } = 0.30;

    /// <summary>The compute time a check is sized to take on the claimed model, so that network noise is small beside
    /// it (<see cref="CapacityTiming.ProductsFor"/>). Default 2 s.</summary>
    public TimeSpan TargetComputeTime { get; init; } = TimeSpan.FromSeconds(2);
}

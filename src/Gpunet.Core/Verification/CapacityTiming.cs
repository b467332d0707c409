using System.Globalization;

namespace Gpunet.Core.Verification;

/// <summary>The timing rule of a capacity check: the time from sending the seed to receiving the commitment, against
/// what the claimed GPU model takes for the same work (<see cref="GpuThroughput"/>).</summary>
/// <remarks>
/// <para>Pass when measured ≤ expected × (1 + <see cref="CapacityTimingOptions.CardBand"/>) + round trip ×
/// (1 + <see cref="CapacityTimingOptions.JitterBand"/>), where the round trip is the smallest the checker has measured
/// to the host recently, this check's pings included (<see cref="RoundTripHistory"/>: a host can add delay, never
/// remove it, so delaying the pings before a check widens nothing). A slower card (actual speed ρ of the claimed) takes
/// expected/ρ; it fails when expected·(1/ρ − 1 − card band) exceeds the jitter allowance on the round trip, so the
/// work must take long beside the round trip: <see cref="WorkFor"/> sizes it to
/// <see cref="CapacityTimingOptions.TargetComputeTime"/>. A faster-than-claimed answer passes (under-claiming is
/// no deceit).</para>
/// <para>To pass in time a slower card must skip work: its committed product then has wrong rows, which the opened
/// rows catch (<see cref="FreivaldsCheck"/>). Timing and Freivalds together are the capacity check.</para>
/// </remarks>
public static class CapacityTiming
{
    /// <summary>The step of the inner size <see cref="WorkFor"/> chooses: k is a multiple of 256, so that the inner
    /// tiles of GEMM kernels (16 in the agent's ILGPU kernel, 32 for int8 tensor-core MMA, up to 256 in tuned
    /// libraries) divide it and no edge is padded.</summary>
    public const int InnerSizeStep = 256;

    /// <summary>Arithmetic operations of <paramref name="products"/> products of n × k times k × n (2·n²·k each: a
    /// multiply-accumulate is two, as datasheets count).</summary>
    public static double Operations(int size, int innerSize, int products)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(innerSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(products);
        return 2.0 * size * size * innerSize * products;
    }

    /// <summary>The claimed model's expected compute time for <paramref name="products"/> square products of size n.</summary>
    public static TimeSpan ExpectedTime(string claimedModel, int size, int products) => ExpectedTime(claimedModel, size, size, products);

    /// <summary>The claimed model's expected compute time for <paramref name="products"/> products of n × k times k × n.</summary>
    public static TimeSpan ExpectedTime(string claimedModel, int size, int innerSize, int products) =>
        TimeSpan.FromSeconds(Operations(size, innerSize, products) / GpuThroughput.For(claimedModel).ExpectedOperationsPerSecond);

    /// <summary>The claimed model's expected compute time for a capacity task's timing work as the task states it: n,
    /// k (0 for square, as tasks before the inner size said it) and products; zero for a model with no expected
    /// throughput, or no work. The checker signs it, the coordinator sizes a check's deadline by it and holds the signed
    /// figure to it.</summary>
    public static TimeSpan ExpectedTimeOfTask(string claimedModel, int timingSize, int timingInnerSize, int timingProducts) =>
        GpuThroughput.TryGet(claimedModel, out _) && timingSize > 0 && timingInnerSize >= 0 && timingProducts > 0
            ? ExpectedTime(claimedModel, timingSize, MatrixChallenge.EffectiveInnerSize(timingSize, timingInnerSize), timingProducts)
            : TimeSpan.Zero;

    /// <summary>How many square products of size n per GPU make a check last about
    /// <see cref="CapacityTimingOptions.TargetComputeTime"/> on the claimed model (at least 1).</summary>
    public static int ProductsFor(string claimedModel, int size, CapacityTimingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var one = ExpectedTime(claimedModel, size, 1);
        return (int)Math.Clamp(Math.Ceiling(options.TargetComputeTime / one), 1, int.MaxValue);
    }

    /// <summary>The work of a real GPU's capacity check: the fewest products, each as large an inner size as
    /// <paramref name="maxInnerSize"/> allows, that make the claimed model work about
    /// <see cref="CapacityTimingOptions.TargetComputeTime"/>; at most <paramref name="maxProducts"/> of them.</summary>
    /// <remarks>Few products of a large k, because the host generates A and B and hashes C for every product: a
    /// product does 2·n²·k operations for n² entries of C to commit, so the larger k, the more of the host's time is
    /// the GPU's arithmetic. k is the target's operations over the products, rounded up to
    /// <see cref="InnerSizeStep"/> and at most <paramref name="maxInnerSize"/>. When even
    /// <paramref name="maxProducts"/> products of the largest k fall short of the target (every real card at the
    /// defaults: 64 products of 2,048 × 65,536 are 3.5·10¹³ operations, 25 ms on the table's H100), the check is
    /// that much shorter: the cap bounds the host's hashing, the target its compute.</remarks>
    /// <exception cref="ArgumentException">n and <paramref name="maxInnerSize"/> are not a shape
    /// <see cref="MatrixChallenge"/> accepts, <paramref name="maxInnerSize"/> is not a multiple of
    /// <see cref="InnerSizeStep"/>, or <paramref name="maxProducts"/> is below 1.</exception>
    public static CapacityWork WorkFor(string claimedModel, int size, int maxInnerSize, int maxProducts, CapacityTimingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (MatrixChallenge.ShapeError(size, maxInnerSize) is { } shape)
            throw new ArgumentOutOfRangeException(nameof(maxInnerSize), shape);
        if (maxInnerSize % InnerSizeStep != 0)
            throw new ArgumentOutOfRangeException(nameof(maxInnerSize), maxInnerSize, $"The largest inner size must be a multiple of {InnerSizeStep}.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxProducts);
        var target = options.TargetComputeTime.TotalSeconds * GpuThroughput.For(claimedModel).ExpectedOperationsPerSecond;
        var perProduct = 2.0 * size * size;
        var products = (int)Math.Clamp(Math.Ceiling(target / (perProduct * maxInnerSize)), 1, maxProducts);
        var steps = Math.Ceiling(target / (perProduct * products) / InnerSizeStep);
        var inner = (int)Math.Clamp(steps * InnerSizeStep, InnerSizeStep, maxInnerSize);
        return new CapacityWork(inner, products);
    }

    /// <summary>Judges a measured response time for square products of size n.</summary>
    public static CapacityTimingVerdict Judge(string claimedModel, int size, int products, TimeSpan measured, TimeSpan roundTrip,
        CapacityTimingOptions options) => Judge(claimedModel, size, size, products, measured, roundTrip, options);

    /// <summary>Judges a measured response time.</summary>
    /// <param name="claimedModel">The canonical model the host claims for this GPU.</param>
    /// <param name="size">n of each product.</param>
    /// <param name="innerSize">k of each product (n for square ones).</param>
    /// <param name="products">Products the GPU computed for this check.</param>
    /// <param name="measured">From sending the seed to receiving the commitment, at the checker.</param>
    /// <param name="roundTrip">The round trip the allowance rests on: the smallest the checker measured to the host
    /// recently (<see cref="RoundTripHistory.Allowance"/>).</param>
    /// <param name="options">The bands.</param>
    public static CapacityTimingVerdict Judge(string claimedModel, int size, int innerSize, int products, TimeSpan measured, TimeSpan roundTrip,
        CapacityTimingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(measured, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(roundTrip, TimeSpan.Zero);
        var expected = ExpectedTime(claimedModel, size, innerSize, products);
        var limit = (expected * (1 + options.CardBand)) + (roundTrip * (1 + options.JitterBand));
        var compute = measured - roundTrip;
        var speed = compute > TimeSpan.Zero ? expected / compute : double.PositiveInfinity;
        var passed = measured <= limit;
        var reason = passed
            ? string.Create(CultureInfo.InvariantCulture, $"Answered in {measured.TotalMilliseconds:0.#} ms, within {limit.TotalMilliseconds:0.#} ms for {claimedModel} (expected {expected.TotalMilliseconds:0.#} ms of compute).")
            : string.Create(CultureInfo.InvariantCulture, $"Too slow for {claimedModel}: answered in {measured.TotalMilliseconds:0.#} ms, limit {limit.TotalMilliseconds:0.#} ms; computed at {speed:P0} of the claimed model's expected speed, as a weaker card would.");
        return new CapacityTimingVerdict(passed, expected, limit, speed, reason);
    }
}

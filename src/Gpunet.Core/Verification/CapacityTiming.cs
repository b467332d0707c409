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
/// work must take long beside the round trip: <see cref="ProductsFor"/> sizes it to
/// <see cref="CapacityTimingOptions.TargetComputeTime"/>. A faster-than-claimed answer passes (under-claiming is
/// no deceit).</para>
/// <para>To pass in time a slower card must skip work: its committed product then has wrong rows, which the opened
/// rows catch (<see cref="FreivaldsCheck"/>). Timing and Freivalds together are the capacity check.</para>
/// </remarks>
public static class CapacityTiming
{
    /// <summary>Arithmetic operations of <paramref name="products"/> products of size n (2·n³ each: a
    /// multiply-accumulate is two, as datasheets count).</summary>
    public static double Operations(int size, int products)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(products);
        return 2.0 * size * size * size * products;
    }

    /// <summary>The claimed model's expected compute time for <paramref name="products"/> products of size n.</summary>
    public static TimeSpan ExpectedTime(string claimedModel, int size, int products) =>
        TimeSpan.FromSeconds(Operations(size, products) / GpuThroughput.For(claimedModel).ExpectedOperationsPerSecond);

    /// <summary>How many products of size n per GPU make a check last about
    /// <see cref="CapacityTimingOptions.TargetComputeTime"/> on the claimed model (at least 1).</summary>
    public static int ProductsFor(string claimedModel, int size, CapacityTimingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var one = ExpectedTime(claimedModel, size, 1);
        return (int)Math.Clamp(Math.Ceiling(options.TargetComputeTime / one), 1, int.MaxValue);
    }

    /// <summary>Judges a measured response time.</summary>
    /// <param name="claimedModel">The canonical model the host claims for this GPU.</param>
    /// <param name="size">n of each product.</param>
    /// <param name="products">Products the GPU computed for this check.</param>
    /// <param name="measured">From sending the seed to receiving the commitment, at the checker.</param>
    /// <param name="roundTrip">The round trip the allowance rests on: the smallest the checker measured to the host
    /// recently (<see cref="RoundTripHistory.Allowance"/>).</param>
    public static CapacityTimingVerdict Judge(string claimedModel, int size, int products, TimeSpan measured, TimeSpan roundTrip,
        CapacityTimingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(measured, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(roundTrip, TimeSpan.Zero);
        var expected = ExpectedTime(claimedModel, size, products);
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

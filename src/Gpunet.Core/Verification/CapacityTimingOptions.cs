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
    /// it (<see cref="CapacityTiming.WorkFor"/>). Default 10 s.</summary>
    /// <remarks>
    /// <para>The round trip is an allowance in milliseconds, the card band a share of this time: the longer the compute,
    /// the smaller the network's share. The farthest a checker can be is half the earth: 20,000 km of fibre, 200 ms of
    /// round trip at light's 100 km per ms, about 300 ms on a real route. With the whole round trip ± 30 %
    /// (<see cref="JitterBand"/>), an honest host measured 30 % fast before and 30 % slow during the check is
    /// 0.39 × 300 ≈ 120 ms over its allowance, and a slower card measured 30 % slow before and 30 % fast during has
    /// 0.99 × 300 ≈ 300 ms of slack. The spare an honest card has is the card band less the ±4 % between identical
    /// cards (8 % − 4 %): 400 ms at 10 s, over three times the honest swing; and a card 3 % beyond the band (one at 0.9
    /// of the claimed speed) is 310 ms late, more than the far checker's slack. At 2 s (before) both failed: 80 ms of
    /// spare, and far checkers passed cards up to 15 % beyond the band.</para>
    /// <para>The cost falls on the host: every claimed GPU computes this long per checker per capacity check (three
    /// checkers, at registration, daily and at random times: about six a day), 60 GPU-seconds a day, 0.07 % of the GPU's
    /// time.</para>
    /// </remarks>
    public TimeSpan TargetComputeTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>These options with the bands a check's task was issued with, where they are sensible (a card band in
    /// (0, 1], a jitter band in (0, 10]); a band missing (0: a task from before the field) or out of range keeps this
    /// one's. The checker judges by them and the coordinator decides by them, so both read a task's bands the same way.</summary>
    public CapacityTimingOptions WithTaskBands(double cardBand, double jitterBand) => this with
    {
        CardBand = cardBand is > 0 and <= 1 ? cardBand : CardBand,
        JitterBand = jitterBand is > 0 and <= 10 ? jitterBand : JitterBand,
    };
}

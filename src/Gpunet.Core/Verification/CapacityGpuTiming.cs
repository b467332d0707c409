namespace Gpunet.Core.Verification;

/// <summary>What one capacity report says about one GPU's timing: the figures a checker signs
/// (<see cref="CheckReportStatement.Gpu"/>), in units the rules use.</summary>
/// <param name="Index">The host's GPU index.</param>
/// <param name="Passed">The checker passed this GPU (correct and in time).</param>
/// <param name="ProductCorrect">The opened rows passed their proofs and Freivalds' check.</param>
/// <param name="Answered">From sending the seed to receiving the commitment; zero when the checker timed nothing
/// (no answer, or a report made without probing).</param>
/// <param name="Expected">The claimed model's expected compute time.</param>
/// <param name="AllowanceRoundTrip">The round trip the checker's timing allowance rests on
/// (<see cref="CapacityTiming.Judge(string, int, int, int, TimeSpan, TimeSpan, CapacityTimingOptions)"/>).</param>
public sealed record CapacityGpuTiming(int Index, bool Passed, bool ProductCorrect, TimeSpan Answered, TimeSpan Expected, TimeSpan AllowanceRoundTrip)
{
    /// <summary>The timing from a signed GPU verdict: the limit it reports gives the round trip its allowance rested on
    /// (limit = expected × (1 + card band) + round trip × (1 + jitter band)); a report without a limit (signed before
    /// checkers reported it) rested on its median round trip, <paramref name="reportRoundTripMicros"/>.</summary>
    public static CapacityGpuTiming Of(CheckReportStatement.Gpu gpu, long reportRoundTripMicros, CapacityTimingOptions options)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        ArgumentNullException.ThrowIfNull(options);
        var expected = TimeSpan.FromMicroseconds(Math.Max(0, gpu.ExpectedMicros));
        var roundTrip = gpu.LimitMicros > 0
            ? TimeSpan.FromMicroseconds(Math.Max(0, (gpu.LimitMicros - (gpu.ExpectedMicros * (1 + options.CardBand))) / (1 + options.JitterBand)))
            : TimeSpan.FromMicroseconds(Math.Max(0, reportRoundTripMicros));
        return new CapacityGpuTiming(gpu.Index, gpu.Passed, gpu.ProductCorrect, TimeSpan.FromMicroseconds(Math.Max(0, gpu.AnsweredMicros)),
            expected, roundTrip);
    }
}

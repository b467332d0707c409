using System.Globalization;

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
    // A figure signed in whole microseconds, each rounded once.
    private const long RoundingMicros = 2;

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

    /// <summary>Why the timing figures a checker signed for one GPU are not ones the timing rule gives for it; null when
    /// they are, or when no limit is signed (a GPU not timed, or a checker from before limit_us).</summary>
    /// <remarks>The expected time must be the claimed model's for the task's work (rounded as signed), and the limit
    /// expected × (1 + card band) + round trip × (1 + jitter band) for a round trip from zero to the report's own: the
    /// allowance rests on the smallest round trip the checker measured to the host recently, this check's pings included,
    /// so never above their median, which the report signs. <see cref="Of"/> solves the round trip back from the limit;
    /// a limit past these bounds would let a checker pass any answer as in time, or fail any as late.</remarks>
    /// <param name="gpu">The signed figures.</param>
    /// <param name="expected">The claimed model's expected compute time for the task's timing work
    /// (<see cref="CapacityTiming.ExpectedTimeOfTask"/>).</param>
    /// <param name="reportRoundTripMicros">The report's median round trip, µs.</param>
    /// <param name="bands">The task's bands.</param>
    public static string? SignedLimitError(CheckReportStatement.Gpu gpu, TimeSpan expected, long reportRoundTripMicros, CapacityTimingOptions bands)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        ArgumentNullException.ThrowIfNull(bands);
        if (gpu.LimitMicros == 0)
            return null;
        var expectedMicros = Micros(expected);
        if (expectedMicros == 0)
            return string.Create(CultureInfo.InvariantCulture, $"GPU {gpu.Index}: limit_us {gpu.LimitMicros} for a GPU whose claimed model has no expected time");
        if (Math.Abs(gpu.ExpectedMicros - expectedMicros) > RoundingMicros)
            return string.Create(CultureInfo.InvariantCulture,
                $"GPU {gpu.Index}: expected_us {gpu.ExpectedMicros} is not the claimed model's {expectedMicros} for the task's work");
        var least = Micros(expected * (1 + bands.CardBand));
        // The signed round trip is the median truncated to a microsecond: the allowance may be up to one more.
        var most = least + (long)Math.Ceiling((Math.Max(0, reportRoundTripMicros) + 1) * (1 + bands.JitterBand));
        return gpu.LimitMicros >= least - RoundingMicros && gpu.LimitMicros <= most + RoundingMicros ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"GPU {gpu.Index}: limit_us {gpu.LimitMicros} is outside {least} … {most}, what the task's bands (card {bands.CardBand:0.###}, jitter {bands.JitterBand:0.###}) give for the claimed model's expected {expectedMicros} µs and a round trip of at most the report's {reportRoundTripMicros} µs");
    }

    private static long Micros(TimeSpan t) => t.Ticks / TimeSpan.TicksPerMicrosecond;
}

using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class CapacityGpuTimingTests
{
    private static readonly CapacityTimingOptions Bands = new();

    // 2 s expected for the claimed model; the report's median round trip 2 ms.
    private static readonly TimeSpan Expected = TimeSpan.FromSeconds(2);

    private static string? Error(long expectedUs, long limitUs, long roundTripUs = 2_000) =>
        CapacityGpuTiming.SignedLimitError(new CheckReportStatement.Gpu(0, true, true, 2_100_000, expectedUs, limitUs), Expected, roundTripUs, Bands);

    [Theory]
    [InlineData(2_160_000)] // no round trip: expected × 1.08
    [InlineData(2_162_600)] // the report's whole round trip: + 2 ms × 1.3
    [InlineData(2_161_000)]
    [InlineData(0)] // not timed, or a checker from before limit_us: nothing to hold it to
    public void SignedLimitError_ALimitTheBandsGive_IsNone(long limitUs) => Assert.Null(Error(2_000_000, limitUs));

    [Theory]
    [InlineData(2_000_000)] // below what the card's own time gives
    [InlineData(2_170_000)] // a round trip over three times the report's
    [InlineData(86_400_000_000)] // a day: any answer would be "in time"
    public void SignedLimitError_ALimitOutsideTheBands_SaysWhatTheyGive(long limitUs) =>
        Assert.StartsWith("GPU 0: limit_us", Error(2_000_000, limitUs), StringComparison.Ordinal);

    [Fact]
    public void SignedLimitError_AnExpectedTimeNotTheClaimedModels_IsRefusedEvenWithAFittingLimit()
    {
        // A limit that fits a card five times slower: the expected time the decider solves the round trip from is wrong.
        var error = Error(10_000_000, 10_802_600);

        Assert.Equal("GPU 0: expected_us 10000000 is not the claimed model's 2000000 for the task's work", error);
    }

    [Fact]
    public void SignedLimitError_AFittingLimit_SolvesBackToARoundTripNoLargerThanTheReports()
    {
        var gpu = new CheckReportStatement.Gpu(0, true, true, 2_100_000, 2_000_000, 2_162_600);

        Assert.Null(CapacityGpuTiming.SignedLimitError(gpu, Expected, 2_000, Bands));
        Assert.InRange(CapacityGpuTiming.Of(gpu, 2_000, Bands).AllowanceRoundTrip, TimeSpan.Zero, TimeSpan.FromMicroseconds(2_001));
    }
}

using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class CapacityTimingOptionsTests
{
    private static readonly CapacityTimingOptions Network = new() { CardBand = 0.05, JitterBand = 0.2, TargetComputeTime = TimeSpan.FromSeconds(4) };

    [Fact]
    public void WithTaskBands_ATasksSensibleBands_AreTaken_TheRestKept()
    {
        var o = Network.WithTaskBands(0.1, 0.5);
        Assert.Equal((0.1, 0.5, TimeSpan.FromSeconds(4)), (o.CardBand, o.JitterBand, o.TargetComputeTime));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-0.1, -1)]
    [InlineData(1.5, 11)]
    [InlineData(double.NaN, double.PositiveInfinity)]
    public void WithTaskBands_MissingOrOutOfRange_KeepsTheseBands(double card, double jitter)
    {
        var o = Network.WithTaskBands(card, jitter);
        Assert.Equal((0.05, 0.2), (o.CardBand, o.JitterBand));
    }
}

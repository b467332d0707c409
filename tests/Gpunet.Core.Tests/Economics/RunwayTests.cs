using Gpunet.Core.Economics;

namespace Gpunet.Core.Tests.Economics;

/// <summary>The low-balance alert's arithmetic.</summary>
public class RunwayTests
{
    [Fact]
    public void TokensPerHour_PriceTimesGpus_AtTheTokensPrice()
    {
        // 8 H100s at $2.50 and half of one A100 at $1.20, tokens at $0.10: (20 + 0.6) / 0.1.
        Assert.Equal(206m, Runway.TokensPerHour([(2.50m, 8m), (1.20m, 0.5m)], 0.10m));
        Assert.Equal(0m, Runway.TokensPerHour([], 0.10m));
        Assert.Throws<ArgumentOutOfRangeException>(() => Runway.TokensPerHour([(1m, 1m)], 0m));
    }

    [Theory]
    [InlineData(100, 25, 4.0)]
    [InlineData(0, 25, 0.0)]
    [InlineData(-5, 25, 0.0)]
    public void Hours_AvailableOverBurn_NeverNegative(decimal available, decimal perHour, double hours) =>
        Assert.Equal(hours, Runway.Hours(available, perHour));

    [Fact]
    public void Hours_NothingRunning_NoRunway_NeverShort()
    {
        Assert.Null(Runway.Hours(5m, 0m));
        Assert.False(Runway.IsShort(null, TimeSpan.FromHours(24)));
    }

    [Fact]
    public void IsShort_BelowTheThresholdOnly()
    {
        Assert.True(Runway.IsShort(23.9, TimeSpan.FromHours(24)));
        Assert.False(Runway.IsShort(24.0, TimeSpan.FromHours(24)));
    }
}

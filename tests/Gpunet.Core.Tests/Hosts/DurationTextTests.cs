using Gpunet.Core.Hosts;

namespace Gpunet.Core.Tests.Hosts;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData(0, "0 s")]
    [InlineData(0.5, "0.5 s")]
    [InlineData(2.29, "2.2 s")]
    [InlineData(9.99, "9.9 s")]
    [InlineData(10.5, "10 s")]
    [InlineData(34.9, "34 s")]
    [InlineData(90, "90 s")]
    [InlineData(120, "2 min")]
    [InlineData(125, "2 min 5 s")]
    [InlineData(3600 + 600, "1 h 10 min")]
    [InlineData(2 * 86400 + 4 * 3600 + 59, "2 d 4 h")]
    [InlineData(-5, "0 s")]
    public void Format_Seconds_ReadsAsTwoLargestUnits(double seconds, string expected) =>
        Assert.Equal(expected, DurationText.Format(TimeSpan.FromSeconds(seconds)));
}

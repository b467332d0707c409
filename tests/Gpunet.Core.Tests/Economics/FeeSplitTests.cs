using Gpunet.Core.Economics;

namespace Gpunet.Core.Tests.Economics;

public sealed class FeeSplitTests
{
    [Fact]
    public void Split_HundredTokens_EightyToTheHostTwentyToTheProtocol()
    {
        var (host, protocol) = FeeSplit.Split(Economy.Tokens(100), 0.20m);

        Assert.Equal(Economy.Tokens(80), host);
        Assert.Equal(Economy.Tokens(20), protocol);
    }

    [Theory]
    [InlineData(1, 0, 1)]
    [InlineData(4, 0, 4)]
    [InlineData(5, 1, 4)]
    [InlineData(9, 1, 8)]
    [InlineData(0, 0, 0)]
    public void Split_OddBaseUnits_ProtocolFlooredHostGetsTheRest(long fee, long protocol, long host)
    {
        var split = FeeSplit.Split(Economy.Units(fee), 0.20m);

        Assert.Equal((Economy.Units(host), Economy.Units(protocol)), split);
    }

    [Fact]
    public void Split_ShareOutOfRange_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FeeSplit.Split(Economy.Units(1), 1.01m));
}

using Gpunet.Core.Marketplace;

namespace Gpunet.Core.Tests.Marketplace;

public sealed class LeaseIdTests
{
    [Fact]
    public void FromRandom_IsLeaseAndTwelveHexDigits_AndParsesBack()
    {
        var id = LeaseId.FromRandom([0x3f, 0x2a, 0x9c, 0x0b, 0x1d, 0x4e]);
        Assert.Equal("lease-3f2a9c0b1d4e", id.Value);
        Assert.True(LeaseId.TryParse(id.Value, out var parsed));
        Assert.Equal(id, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("lease-")]
    [InlineData("lease-3F2A9C0B1D4E")]
    [InlineData("lease-3f2a9c0b1d4")]
    [InlineData("lease-3f2a9c0b1d4e0")]
    [InlineData("host-3f2a9c0b1d4e")]
    [InlineData("lease-../../etc1")]
    public void TryParse_NotALeaseId_IsRefused(string? text) => Assert.False(LeaseId.TryParse(text, out _));

    [Fact]
    public void FromRandom_NeedsSixBytes() => Assert.Throws<ArgumentException>(() => LeaseId.FromRandom([1, 2, 3]));
}

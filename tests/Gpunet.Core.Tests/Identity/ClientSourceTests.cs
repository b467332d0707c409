using System.Net;
using Gpunet.Core.Identity;

namespace Gpunet.Core.Tests.Identity;

public sealed class ClientSourceTests
{
    [Theory]
    [InlineData("198.51.100.7", "198.51.100.7")]
    [InlineData("::ffff:198.51.100.7", "198.51.100.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("::1", "::/64")]
    public void Of_Address_ItsLimitKey(string address, string expected) =>
        Assert.Equal(expected, ClientSource.Of(IPAddress.Parse(address)));

    [Fact]
    public void Of_TwoAddressesOfOneIpv6Subscriber_SameSource() =>
        Assert.Equal(ClientSource.Of(IPAddress.Parse("2001:db8:0:7::1")), ClientSource.Of(IPAddress.Parse("2001:db8:0:7:ffff::9")));

    [Fact]
    public void Of_NeighbouringIpv6Networks_DifferentSources() =>
        Assert.NotEqual(ClientSource.Of(IPAddress.Parse("2001:db8:0:7::1")), ClientSource.Of(IPAddress.Parse("2001:db8:0:8::1")));

    [Fact]
    public void Of_NoAddress_Unknown() => Assert.Equal(ClientSource.Unknown, ClientSource.Of(null));
}

using System.Net;
using Gpunet.Core.Identity;

namespace Gpunet.Core.Tests.Identity;

/// <summary>What a participant's webhook URL may make the coordinator call.</summary>
public class PublicAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")] // a cloud's metadata service
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fd00::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")] // the loopback, mapped into IPv6
    [InlineData("::ffff:10.0.0.1")]
    public void IsPublic_NotAHostOnThePublicInternet_False(string address) =>
        Assert.False(PublicAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.32.0.1")] // just past 172.16/12
    [InlineData("100.128.0.1")] // just past 100.64/10
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    public void IsPublic_PublicUnicast_True(string address) =>
        Assert.True(PublicAddresses.IsPublic(IPAddress.Parse(address)));
}

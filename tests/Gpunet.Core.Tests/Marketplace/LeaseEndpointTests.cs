using System.Net;
using Gpunet.Core.Marketplace;

namespace Gpunet.Core.Tests.Marketplace;

public sealed class LeaseEndpointTests
{
    [Theory]
    [InlineData(WorkloadKind.Session, null, true)]
    [InlineData(WorkloadKind.Service, 8080, true)]
    [InlineData(WorkloadKind.Job, 8080, true)]
    [InlineData(WorkloadKind.Job, null, false)]
    public void IsExpected_SessionsServicesAndJobsNamingAPort(WorkloadKind kind, int? port, bool expected) =>
        Assert.Equal(expected, LeaseEndpoint.IsExpected(kind, port));

    [Theory]
    [InlineData("203.0.113.7", "198.51.100.2", 30001, "198.51.100.2:30001")]
    [InlineData("", "198.51.100.2", 30001, "198.51.100.2:30001")]
    [InlineData(null, "::ffff:198.51.100.2", 1, "198.51.100.2:1")]
    [InlineData("", "2001:db8::5", 65535, "[2001:db8::5]:65535")]
    [InlineData("2001:db8::7", "198.51.100.2", 30000, "198.51.100.2:30000")]
    [InlineData("", "fe80::1%2", 30000, "[fe80::1]:30000")]
    public void Of_TheConnectionsAddressNotTheDeclaredOne_WithThePort(string? declared, string connection, int port, string expected) =>
        Assert.Equal(expected, LeaseEndpoint.Of(declared, IPAddress.Parse(connection), port));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    [InlineData(int.MaxValue)]
    public void Of_PortOutOfRange_IsNone(int port) => Assert.Null(LeaseEndpoint.Of("203.0.113.7", IPAddress.Loopback, port));

    [Fact]
    public void Of_NoAddressAtAll_IsNone() => Assert.Null(LeaseEndpoint.Of("", null, 30000));

    [Fact]
    public void Of_NoConnectionKnown_TheDeclaredAddress() => Assert.Equal("203.0.113.7:30000", LeaseEndpoint.Of("203.0.113.7", null, 30000));
}

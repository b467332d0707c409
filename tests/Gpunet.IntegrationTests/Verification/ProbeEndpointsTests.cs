using System.Net;
using Gpunet.Coordinator.Verification;

namespace Gpunet.IntegrationTests.Verification;

/// <summary>Where checkers are sent: only to the port an agent advertises, at the address its stream comes from.</summary>
public sealed class ProbeEndpointsTests
{
    [Theory]
    [InlineData("http://203.0.113.7:7443", "203.0.113.7", "http://203.0.113.7:7443")]
    [InlineData("http://198.51.100.9:7443", "203.0.113.7", "http://203.0.113.7:7443")] // another machine named: its own address used
    [InlineData("http://127.0.0.1:40001", "127.0.0.1", "http://127.0.0.1:40001")]
    [InlineData("http://141.2.0.1:40001", "127.0.0.1", "http://127.0.0.1:40001")]
    [InlineData("http://10.0.0.5:7443", "2001:db8::7", "http://[2001:db8::7]:7443")]
    [InlineData("http://203.0.113.7:7443", "::ffff:203.0.113.7", "http://203.0.113.7:7443")]
    public void AWellFormedEndpoint_IsProbedAtTheAgentsOwnAddress(string advertised, string connection, string expected)
    {
        Assert.Equal(expected, ProbeEndpoints.Accept(advertised, IPAddress.Parse(connection), out var refusal));
        Assert.Null(refusal);
    }

    [Theory]
    [InlineData("http://probe.example.com:7443")]
    [InlineData("http://203.0.113.7")]
    [InlineData("http://user:pw@203.0.113.7:7443")]
    [InlineData("http://203.0.113.7:7443/admin")]
    [InlineData("file:///etc/passwd")]
    [InlineData("203.0.113.7:7443")]
    public void AnythingElse_IsRefusedNamingTheField(string advertised)
    {
        Assert.Null(ProbeEndpoints.Accept(advertised, IPAddress.Parse("203.0.113.7"), out var refusal));
        Assert.StartsWith("host.probe_endpoint:", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void NoEndpoint_MeansNone_NotAnError()
    {
        Assert.Null(ProbeEndpoints.Accept("", IPAddress.Loopback, out var refusal));
        Assert.Null(refusal);
    }
}

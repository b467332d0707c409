using System.Net;
using Gpunet.Coordinator;

namespace Gpunet.IntegrationTests;

/// <summary>The <c>--urls</c> and <c>--agent-urls</c> values a coordinator accepts.</summary>
public sealed class CoordinatorEndpointsTests
{
    [Fact]
    public void Parse_LoopbackIp_ThatAddressAndPort()
    {
        var ep = Assert.Single(CoordinatorEndpoints.Parse("http://127.0.0.1:7070", "--urls"));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 7070), ep);
    }

    [Fact]
    public void Parse_Localhost_Loopback()
    {
        var ep = Assert.Single(CoordinatorEndpoints.Parse("http://localhost:7070", "--urls"));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 7070), ep);
    }

    [Fact]
    public void Parse_AnyAddressPort80_AnyOn80()
    {
        var ep = Assert.Single(CoordinatorEndpoints.Parse("http://0.0.0.0:80", "--urls"));
        Assert.Equal(new IPEndPoint(IPAddress.Any, 80), ep);
    }

    [Fact]
    public void Parse_NoPort_Port80()
    {
        var ep = Assert.Single(CoordinatorEndpoints.Parse("http://127.0.0.1", "--urls"));
        Assert.Equal(80, ep.Port);
    }

    [Theory]
    [InlineData("http://*:7070")]
    [InlineData("http://+:7070")]
    public void Parse_Wildcard_AnyAddress(string url)
    {
        var ep = Assert.Single(CoordinatorEndpoints.Parse(url, "--urls"));
        Assert.Equal(new IPEndPoint(IPAddress.Any, 7070), ep);
    }

    [Fact]
    public void Parse_Ipv6Loopback_Ipv6Loopback()
    {
        var ep = Assert.Single(CoordinatorEndpoints.Parse("http://[::1]:7070", "--urls"));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 7070), ep);
    }

    [Fact]
    public void Parse_PortZero_PortZero()
    {
        var ep = Assert.Single(CoordinatorEndpoints.Parse("http://127.0.0.1:0", "--urls"));
        Assert.Equal(0, ep.Port);
    }

    [Fact]
    public void Parse_SeveralSeparatedBySemicolons_AllInOrder()
    {
        var eps = CoordinatorEndpoints.Parse(" http://127.0.0.1:7070 ; http://[::1]:7071;;http://0.0.0.0:8080 ", "--urls");
        Assert.Equal(
            [new IPEndPoint(IPAddress.Loopback, 7070), new IPEndPoint(IPAddress.IPv6Loopback, 7071), new IPEndPoint(IPAddress.Any, 8080)],
            eps);
    }

    [Theory]
    [InlineData("https://127.0.0.1:7443")]
    [InlineData("ftp://127.0.0.1:21")]
    [InlineData("127.0.0.1:7070")]
    [InlineData("not a url")]
    public void Parse_NotHttp_ErrorNamesFlagAndUrl(string url)
    {
        var e = Assert.Throws<ArgumentException>(() => CoordinatorEndpoints.Parse(url, "--agent-urls"));
        Assert.StartsWith("--agent-urls:", e.Message, StringComparison.Ordinal);
        Assert.Contains(url, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HostnameOtherThanLocalhost_ErrorNamesFlagAndHost()
    {
        var e = Assert.Throws<ArgumentException>(() => CoordinatorEndpoints.Parse("http://example.com:7070", "--urls"));
        Assert.StartsWith("--urls:", e.Message, StringComparison.Ordinal);
        Assert.Contains("'example.com' is not an IP address or localhost", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(" ; ;")]
    public void Parse_Empty_ErrorNamesFlag(string urls)
    {
        var e = Assert.Throws<ArgumentException>(() => CoordinatorEndpoints.Parse(urls, "--urls"));
        Assert.Equal("--urls: at least one URL is required", e.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:7070", "http://127.0.0.1:7071")]
    [InlineData("http://localhost:7070", "http://127.0.0.1:7071")]
    [InlineData("http://0.0.0.0:80", "http://0.0.0.0:81")]
    [InlineData("http://*:7070", "http://0.0.0.0:7071")]
    [InlineData("http://[::1]:7070", "http://[::1]:7071")]
    [InlineData("http://127.0.0.1:0", "http://127.0.0.1:0")]
    [InlineData("http://10.0.0.5:9000;http://127.0.0.1:7070", "http://10.0.0.5:9001")]
    public void DefaultAgentUrls_ApiUrls_SameHostNextPort(string apiUrls, string expected)
    {
        Assert.Equal(expected, CoordinatorEndpoints.DefaultAgentUrls(apiUrls));
    }

    [Fact]
    public void DefaultAgentUrls_Result_ParsesAsAgentUrls()
    {
        var agent = CoordinatorEndpoints.DefaultAgentUrls("http://[::1]:7070");
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 7071), Assert.Single(CoordinatorEndpoints.Parse(agent, "--agent-urls")));
    }

    [Fact]
    public void DefaultAgentUrls_BadApiUrls_ErrorNamesUrlsFlag()
    {
        var e = Assert.Throws<ArgumentException>(() => CoordinatorEndpoints.DefaultAgentUrls("https://127.0.0.1:7070"));
        Assert.StartsWith("--urls:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultAgentUrls_LastPort_AsksForAgentUrls()
    {
        var e = Assert.Throws<ArgumentException>(() => CoordinatorEndpoints.DefaultAgentUrls("http://127.0.0.1:65535"));
        Assert.Contains("--agent-urls", e.Message, StringComparison.Ordinal);
    }
}

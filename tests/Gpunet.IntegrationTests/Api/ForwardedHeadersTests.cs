using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Agent.Link;
using Gpunet.Cli.Devnet;
using Gpunet.Core.Compliance;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gpunet.IntegrationTests.Api;

/// <summary>X-Forwarded-For counts only from a configured proxy: a client that writes it itself changes neither its
/// sign-in allowance nor where its agent is located.</summary>
public sealed class ForwardedHeadersTests
{
    private static readonly string GermanIp = DevnetPlan.Site(0).PublicIp;
    private static readonly string BlockedIp = DevnetPlan.BlockedSite.PublicIp;

    private static async Task<HttpStatusCode> ChallengeAsync(TestCoordinator c, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/challenge")
        {
            Content = JsonContent.Create(new { address = Wallet.Create().Address.Value }),
        };
        if (forwardedFor is not null)
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await c.Anonymous.SendAsync(request);
        return response.StatusCode;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("10.9.9.9")]
    [InlineData("192.0.2.0/24")]
    public async Task SignIn_ForgedForwardedForFromAnUntrustedClient_DoesNotResetItsLimit(string? proxy)
    {
        // Loopback, where the test runs, is not a trusted proxy unless configured (ASP.NET Core's defaults trust it).
        await using var c = await TestCoordinator.StartAsync(configure: o =>
        {
            o.Access.AuthRequestsPerMinute = 3;
            o.Edge.TrustedProxies = proxy is null ? [] : [proxy];
        });
        for (var i = 1; i <= 3; i++)
            Assert.Equal(HttpStatusCode.OK, await ChallengeAsync(c, $"198.51.100.{i}"));

        Assert.Equal(HttpStatusCode.TooManyRequests, await ChallengeAsync(c, "198.51.100.4"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await ChallengeAsync(c, null));
    }

    [Fact]
    public async Task SignIn_BehindATrustedProxyNetwork_IsLimitedPerForwardedClient()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o =>
        {
            o.Access.AuthRequestsPerMinute = 2;
            o.Edge.TrustedProxies = ["127.0.0.0/8"];
        });
        Assert.Equal(HttpStatusCode.OK, await ChallengeAsync(c, "198.51.100.1"));
        Assert.Equal(HttpStatusCode.OK, await ChallengeAsync(c, "198.51.100.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await ChallengeAsync(c, "198.51.100.1"));
        // The client wrote an address of its own to the left of the one the proxy added: only the proxy's counts.
        Assert.Equal(HttpStatusCode.TooManyRequests, await ChallengeAsync(c, "198.51.100.77, 198.51.100.1"));
        Assert.Equal(HttpStatusCode.OK, await ChallengeAsync(c, "198.51.100.2"));
    }

    [Theory]
    [InlineData("proxy.example.com", "'proxy.example.com' is not an IP address or a CIDR network")]
    [InlineData("10.0.0.0/33", "'10.0.0.0/33' is not an IP address or a CIDR network")]
    [InlineData("0.0.0.0/0", "'0.0.0.0/0' would believe X-Forwarded-For from every address")]
    public async Task Start_BadTrustedProxy_FailsNamingTheValue(string proxy, string expected)
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => TestCoordinator.StartAsync(configure: o => o.Edge.TrustedProxies = [proxy]));
        Assert.StartsWith("--trusted-proxy:", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    private static HostDescription Host(string seed, string publicIp = "") => RawAgent.Fingerprinted(new()
    {
        Hostname = "forwarded",
        Country = "DE",
        PublicIp = publicIp,
        PriceUsdPerGpuHour = 2,
        Gpus = { new GpuDescription { Index = 0, Uuid = "GPU-" + seed, Model = "L4-24GB", MemoryTotalMib = 23034 } },
    }, seed);

    /// <summary>Registers a host over a raw agent stream sent with <paramref name="forwardedFor"/>, and returns its
    /// compliance view (the stream stays open while <paramref name="check"/> runs).</summary>
    private static async Task CheckRegisteredAsync(TestCoordinator c, HostDescription host, string forwardedFor, Func<JsonElement, Task> check)
    {
        using var channel = GrpcChannel.ForAddress(c.AgentUrl);
        using var call = new AgentLink.AgentLinkClient(channel).Connect(new Metadata { { "X-Forwarded-For", forwardedFor } });
        var registered = await AgentHandshake.RunAsync(call, Wallet.Create(), host, "test", TimeProvider.System, CancellationToken.None);
        await check(await c.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/compliance/hosts/{registered.HostId}"));
    }

    private static List<string> Rules(JsonElement view) =>
        [.. view.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("rule").GetString()!)];

    [Fact]
    public async Task Agent_InABlockedCountryForgingAnotherAddress_StaysBlocked()
    {
        // The agent's address (here its declared one, as the test network trusts declarations from loopback) is in IR;
        // it claims a German address in the header. Without a trusted proxy the header is nobody's word.
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Edge.TrustedProxies = ["10.9.9.9"]);
        await CheckRegisteredAsync(c, Host("forged", publicIp: BlockedIp), GermanIp, view =>
        {
            Assert.Equal(BlockedIp, view.GetProperty("location").GetProperty("address").GetString());
            Assert.Contains(ComplianceRules.BlockedJurisdiction, Rules(view));
            Assert.False(view.GetProperty("allowed").GetBoolean());
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Agent_BehindATrustedProxy_IsLocatedWhereTheProxySaysNotWhereItClaims()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Edge.TrustedProxies = ["127.0.0.1"]);
        // The agent wrote the German address itself; the proxy appended the address it really connected from.
        await CheckRegisteredAsync(c, Host("behind-proxy"), $"{GermanIp}, {BlockedIp}", view =>
        {
            var location = view.GetProperty("location");
            Assert.Equal(BlockedIp, location.GetProperty("address").GetString());
            Assert.Equal("connection", location.GetProperty("source").GetString());
            Assert.Contains(ComplianceRules.BlockedJurisdiction, Rules(view));
            return Task.CompletedTask;
        });

        await CheckRegisteredAsync(c, Host("in-germany"), GermanIp, view =>
        {
            var location = view.GetProperty("location");
            Assert.Equal(GermanIp, location.GetProperty("address").GetString());
            Assert.Equal("Matches", location.GetProperty("check").GetString());
            Assert.DoesNotContain(ComplianceRules.BlockedJurisdiction, Rules(view));
            return Task.CompletedTask;
        });
    }
}

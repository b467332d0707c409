using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Agent.Link;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Grpc.Net.Client;

namespace Gpunet.IntegrationTests.Api;

/// <summary>Anonymous floods of sign-in challenges fill only the flooder's allowance: other clients still sign in, and
/// agents, whose handshakes have a book of their own, still register.</summary>
/// <remarks>The coordinator trusts loopback as its proxy here, so each test request can come from a client address of
/// its choosing.</remarks>
public sealed class SignInFloodTests
{
    private sealed record ChallengeDto(string Nonce, string Network, long Timestamp);

    private static Task<TestCoordinator> StartAsync(int perClient, int maxOpen) => TestCoordinator.StartAsync(configure: o =>
    {
        o.Edge.TrustedProxies = ["127.0.0.1"];
        o.Access.AuthRequestsPerMinute = 100_000;
        o.Access.ChallengesPerClient = perClient;
        o.Access.MaxOpenChallenges = maxOpen;
    });

    private static async Task<HttpResponseMessage> ChallengeAsync(TestCoordinator c, string client, Address address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/challenge") { Content = JsonContent.Create(new { address = address.Value }) };
        request.Headers.Add("X-Forwarded-For", client);
        return await c.Anonymous.SendAsync(request);
    }

    /// <summary>The whole customer sign-in from <paramref name="client"/>: challenge, signature, token.</summary>
    private static async Task<HttpStatusCode> SignInAsync(TestCoordinator c, string client)
    {
        var wallet = Wallet.Create();
        using var challenge = await ChallengeAsync(c, client, wallet.Address);
        if (!challenge.IsSuccessStatusCode)
            return challenge.StatusCode;
        var dto = (await challenge.Content.ReadFromJsonAsync<ChallengeDto>())!;
        var message = SignInMessages.ForApiToken(dto.Network, wallet.Address, dto.Nonce, DateTimeOffset.FromUnixTimeSeconds(dto.Timestamp));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/token")
        {
            Content = JsonContent.Create(new { address = wallet.Address.Value, nonce = dto.Nonce, timestamp = dto.Timestamp, signature = wallet.Sign(message) }),
        };
        request.Headers.Add("X-Forwarded-For", client);
        using var token = await c.Anonymous.SendAsync(request);
        return token.StatusCode;
    }

    private static async Task<string> RegisterAgentAsync(TestCoordinator c)
    {
        using var channel = GrpcChannel.ForAddress(c.AgentUrl);
        using var call = new AgentLink.AgentLinkClient(channel).Connect();
        var seed = Guid.NewGuid().ToString("n");
        var host = RawAgent.Fingerprinted(new HostDescription
        {
            Hostname = "after-the-flood",
            Country = "DE",
            PriceUsdPerGpuHour = 2,
            Gpus = { new GpuDescription { Index = 0, Uuid = "GPU-" + seed, Model = "L4-24GB", MemoryTotalMib = 23034 } },
        }, seed);
        return (await AgentHandshake.RunAsync(call, Wallet.Create(), host, "test", TimeProvider.System, CancellationToken.None)).HostId;
    }

    [Fact]
    public async Task Challenge_FloodFromOneClient_RefusedPastItsAllowance_OthersStillSignIn()
    {
        await using var c = await StartAsync(perClient: 8, maxOpen: 1_000);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 200; i++)
        {
            using var r = await ChallengeAsync(c, "198.51.100.66", Wallet.Create().Address);
            statuses.Add(r.StatusCode);
            if (r.StatusCode == HttpStatusCode.TooManyRequests && i == 8)
            {
                var problem = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
                Assert.Contains("from your network", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(8, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(192, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(c, "203.0.113.5"));
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(c, "2001:db8:5::1"));
        Assert.NotEmpty(await RegisterAgentAsync(c));
    }

    [Fact]
    public async Task Challenge_FloodFromMyIpv6Network_CountsAsOneClient()
    {
        await using var c = await StartAsync(perClient: 4, maxOpen: 1_000);
        for (var i = 0; i < 4; i++)
        {
            using var r = await ChallengeAsync(c, $"2001:db8:66:1::{i + 1:x}", Wallet.Create().Address);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        // Another address of the same /64 is the same subscriber.
        using (var r = await ChallengeAsync(c, "2001:db8:66:1:ffff::9", Wallet.Create().Address))
            Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(c, "2001:db8:66:2::1"));
    }

    [Fact]
    public async Task Challenge_FloodFillingTheCustomersBook_AgentsStillRegister()
    {
        await using var c = await StartAsync(perClient: 4, maxOpen: 40);
        for (var i = 0; i < 60; i++)
        {
            using var r = await ChallengeAsync(c, $"198.51.100.{i + 1}", Wallet.Create().Address);
        }

        // The customers' book is full until those challenges expire; the agents' is not touched.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await SignInAsync(c, "203.0.113.5"));
        Assert.NotEmpty(await RegisterAgentAsync(c));
    }

    [Fact]
    public async Task Challenge_ManyForOneAddress_ReplacesTheOldest_AndTheNewestStillSignsIn()
    {
        await using var c = await StartAsync(perClient: 64, maxOpen: 1_000);
        var wallet = Wallet.Create();
        var challenges = new List<ChallengeDto>();
        for (var i = 0; i < 10; i++)
        {
            using var r = await ChallengeAsync(c, "203.0.113.8", wallet.Address);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            challenges.Add((await r.Content.ReadFromJsonAsync<ChallengeDto>())!);
        }

        async Task<HttpStatusCode> TokenAsync(ChallengeDto dto)
        {
            var message = SignInMessages.ForApiToken(dto.Network, wallet.Address, dto.Nonce, DateTimeOffset.FromUnixTimeSeconds(dto.Timestamp));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/token")
            {
                Content = JsonContent.Create(new { address = wallet.Address.Value, nonce = dto.Nonce, timestamp = dto.Timestamp, signature = wallet.Sign(message) }),
            };
            request.Headers.Add("X-Forwarded-For", "203.0.113.8");
            using var response = await c.Anonymous.SendAsync(request);
            return response.StatusCode;
        }

        // Four stay open per address (ChallengesPerAddress); the first was replaced long ago.
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenAsync(challenges[0]));
        Assert.Equal(HttpStatusCode.OK, await TokenAsync(challenges[^1]));
    }
}

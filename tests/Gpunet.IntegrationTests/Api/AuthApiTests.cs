using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Api;

public sealed class AuthApiTests
{
    private sealed record ChallengeDto(string Nonce, string Network, long Timestamp, string Message);

    private sealed record TokenDto(string AccessToken, string TokenType, long ExpiresIn);

    private sealed record WhoAmI(string Role, string? Address);

    private static async Task<(ChallengeDto Challenge, object Request)> SignedRequestAsync(HttpClient http, Wallet wallet)
    {
        var challenge = (await (await http.PostAsJsonAsync("/api/v1/auth/challenge", new { address = wallet.Address.Value }))
            .Content.ReadFromJsonAsync<ChallengeDto>())!;
        var message = SignInMessages.ForApiToken(challenge.Network, wallet.Address, challenge.Nonce, DateTimeOffset.FromUnixTimeSeconds(challenge.Timestamp));
        Assert.Equal(challenge.Message, message.Text); // what the API shows is exactly what gets signed
        return (challenge, new { address = wallet.Address.Value, nonce = challenge.Nonce, timestamp = challenge.Timestamp, signature = wallet.Sign(message) });
    }

    [Fact]
    public async Task Token_FromSignedChallenge_AuthenticatesTheWallet()
    {
        await using var c = await TestCoordinator.StartAsync();
        var wallet = Wallet.Create();
        var (_, request) = await SignedRequestAsync(c.Anonymous, wallet);
        var response = await c.Anonymous.PostAsJsonAsync("/api/v1/auth/token", request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<TokenDto>())!;
        Assert.Equal("Bearer", token.TokenType);
        Assert.InRange(token.ExpiresIn, 60, 3600);

        using var http = new HttpClient { BaseAddress = new Uri(c.ApiUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        var me = await http.GetFromJsonAsync<WhoAmI>("/api/v1/me");
        Assert.Equal("customer", me!.Role);
        Assert.Equal(wallet.Address.Value, me.Address);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/hosts")).StatusCode);
    }

    [Fact]
    public async Task Token_ReplayedSignature_IsRefused()
    {
        await using var c = await TestCoordinator.StartAsync();
        var (_, request) = await SignedRequestAsync(c.Anonymous, Wallet.Create());
        Assert.Equal(HttpStatusCode.OK, (await c.Anonymous.PostAsJsonAsync("/api/v1/auth/token", request)).StatusCode);
        var replay = await c.Anonymous.PostAsJsonAsync("/api/v1/auth/token", request);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal("application/problem+json", replay.Content.Headers.ContentType?.MediaType);
        Assert.Contains("already used", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_SignedByAnotherWallet_IsRefused()
    {
        await using var c = await TestCoordinator.StartAsync();
        var victim = Wallet.Create();
        var challenge = (await (await c.Anonymous.PostAsJsonAsync("/api/v1/auth/challenge", new { address = victim.Address.Value }))
            .Content.ReadFromJsonAsync<ChallengeDto>())!;
        var message = SignInMessages.ForApiToken(challenge.Network, victim.Address, challenge.Nonce, DateTimeOffset.FromUnixTimeSeconds(challenge.Timestamp));
        var forged = await c.Anonymous.PostAsJsonAsync("/api/v1/auth/token", new
        {
            address = victim.Address.Value, nonce = challenge.Nonce, timestamp = challenge.Timestamp, signature = Wallet.Create().Sign(message),
        });
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task Challenge_TooManyFromOneClient_Is429Problem()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Access.AuthRequestsPerMinute = 3);
        var address = new { address = Wallet.Create().Address.Value };
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await c.Anonymous.PostAsJsonAsync("/api/v1/auth/challenge", address)).StatusCode);
        var limited = await c.Anonymous.PostAsJsonAsync("/api/v1/auth/challenge", address);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        // Only sign-in is limited; the rest of the API still answers.
        Assert.Equal(HttpStatusCode.OK, (await c.Admin.GetAsync("/api/v1/hosts")).StatusCode);
    }

    [Fact]
    public async Task Challenge_BehindATrustedProxy_IsLimitedPerForwardedClient()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o =>
        {
            o.Access.AuthRequestsPerMinute = 2;
            o.Edge.TrustedProxies = ["127.0.0.1"];
        });
        async Task<HttpStatusCode> From(string client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/challenge")
            {
                Content = JsonContent.Create(new { address = Wallet.Create().Address.Value }),
            };
            request.Headers.Add("X-Forwarded-For", client);
            return (await c.Anonymous.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await From("198.51.100.1"));
        Assert.Equal(HttpStatusCode.OK, await From("198.51.100.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await From("198.51.100.1"));
        // Another client behind the same proxy has its own allowance.
        Assert.Equal(HttpStatusCode.OK, await From("198.51.100.2"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer gpa_wrong_admin_token_000000000")]
    public async Task Api_WithoutValidCredentials_Is401(string? authorization)
    {
        await using var c = await TestCoordinator.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/hosts");
        if (authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.Anonymous.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Hosts_PublicIp_IsShownToOperatorsOnly()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = TestAgentWithIp(c.ApiUrl);
        var id = await agent.HostIdAsync();
        var admin = await c.WaitForStateAsync(id, "Ready");
        Assert.Equal("203.0.113.7", admin.PublicIp);

        var (_, request) = await SignedRequestAsync(c.Anonymous, Wallet.Create());
        var token = (await (await c.Anonymous.PostAsJsonAsync("/api/v1/auth/token", request)).Content.ReadFromJsonAsync<TokenDto>())!;
        using var http = new HttpClient { BaseAddress = new Uri(c.ApiUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        var json = await http.GetStringAsync($"/api/v1/hosts/{id}");
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(json).RootElement.GetProperty("publicIp").ValueKind);
    }

    private static TestAgent TestAgentWithIp(string url)
    {
        var wallet = Wallet.Create();
        var agent = new Gpunet.Agent.HostAgent(new Gpunet.Agent.AgentOptions
        {
            Coordinator = new Uri(url),
            Simulate = ["L4-24GB:1"],
            Country = "NL",
            PublicIp = "203.0.113.7",
        }, wallet, Gpunet.Agent.Discovery.SimulatedGpuSource.FromSpecs(["L4-24GB:1"], wallet.Address.Value), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        return TestAgent.Wrap(agent, wallet);
    }
}

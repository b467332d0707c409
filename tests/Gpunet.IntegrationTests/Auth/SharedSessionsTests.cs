using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Gpunet.Contracts.Auth;
using Gpunet.Coordinator;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.IntegrationTests.Auth;

/// <summary>Sign-in works at any coordinator of a network over one store: a challenge from one is answered at another,
/// a token from one is good at every one, a challenge is used once however many coordinators are asked, and a client's
/// allowance of open challenges holds across them.</summary>
/// <remarks>Each coordinator has a data directory of its own, so nothing is shared but the store.</remarks>
public sealed class SharedSessionsTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    private sealed record ChallengeDto(string Nonce, string Network, long Timestamp);

    private sealed record TokenDto(string AccessToken);

    /// <summary>Two coordinators over one fresh, migrated store, started at once (so both find the key ring empty).</summary>
    private static async Task<(TestCoordinator A, TestCoordinator B, string Db)> PairAsync(string provider, Action<CoordinatorOptions>? configure = null)
    {
        var db = await TestStores.NewStoreAsync(provider, TestCoordinator.NewDataDir());
        // The schema first: the race under test is the key ring's, not the migrations'.
        await StoreSchema.EnsureAsync(StoreConnection.Parse(db).CreateDbContextFactory(), CancellationToken.None);
        var starts = new[] { TestCoordinator.StartAsync(TestCoordinator.NewDataDir(), db, configure: configure), TestCoordinator.StartAsync(TestCoordinator.NewDataDir(), db, configure: configure) };
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            foreach (var started in starts.Where(s => s.IsCompletedSuccessfully))
                await started.Result.DisposeAsync();
            throw;
        }

        return (starts[0].Result, starts[1].Result, db);
    }

    private static async Task<ChallengeDto> ChallengeAsync(TestCoordinator at, Wallet wallet)
    {
        using var r = await at.Anonymous.PostAsJsonAsync("/api/v1/auth/challenge", new { address = wallet.Address.Value });
        r.EnsureSuccessStatusCode();
        return (await r.Content.ReadFromJsonAsync<ChallengeDto>())!;
    }

    private static object Answer(Wallet wallet, ChallengeDto c) => new
    {
        address = wallet.Address.Value, nonce = c.Nonce, timestamp = c.Timestamp,
        signature = wallet.Sign(SignInMessages.ForApiToken(c.Network, wallet.Address, c.Nonce, DateTimeOffset.FromUnixTimeSeconds(c.Timestamp))),
    };

    private static async Task<WhoAmI?> WhoAmIAsync(TestCoordinator at, string token)
    {
        using var http = new HttpClient { BaseAddress = new Uri(at.ApiUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var r = await http.GetAsync("/api/v1/me");
        return r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadFromJsonAsync<WhoAmI>() : null;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Token_ChallengeFromOneCoordinatorAnsweredAtTheOther_IsGoodAtBoth(string provider)
    {
        var (a, b, db) = await PairAsync(provider);
        await using var _ = a;
        await using var __ = b;

        foreach (var (issuer, answerer) in new[] { (a, b), (b, a) })
        {
            var wallet = Wallet.Create();
            using var r = await answerer.Anonymous.PostAsJsonAsync("/api/v1/auth/token", Answer(wallet, await ChallengeAsync(issuer, wallet)));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            var token = (await r.Content.ReadFromJsonAsync<TokenDto>())!.AccessToken;
            Assert.Equal(wallet.Address.Value, (await WhoAmIAsync(a, token))?.Address);
            Assert.Equal(wallet.Address.Value, (await WhoAmIAsync(b, token))?.Address);
        }

        // Both started on an empty ring; one of them made the network's key and the other used it.
        await using var store = await StoreConnection.Parse(db).CreateDbContextFactory().CreateDbContextAsync();
        Assert.Equal(1, await store.DataProtectionKeys.CountAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Token_OneChallengeAnsweredAtBothCoordinatorsAtOnce_GivesExactlyOneToken(string provider)
    {
        var (a, b, _) = await PairAsync(provider);
        await using var _a = a;
        await using var _b = b;

        for (var i = 0; i < 5; i++)
        {
            var wallet = Wallet.Create();
            var answer = Answer(wallet, await ChallengeAsync(i % 2 == 0 ? a : b, wallet));
            var responses = await Task.WhenAll(a.Anonymous.PostAsJsonAsync("/api/v1/auth/token", answer), b.Anonymous.PostAsJsonAsync("/api/v1/auth/token", answer));
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Unauthorized], responses.Select(r => r.StatusCode).Order());
            var refused = responses.Single(r => r.StatusCode == HttpStatusCode.Unauthorized);
            Assert.Contains("already used", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            foreach (var r in responses)
                r.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Challenge_FloodFromOneClientSpreadOverBothCoordinators_RefusedPastItsAllowanceInAll(string provider)
    {
        var (a, b, _) = await PairAsync(provider, o =>
        {
            o.Edge.TrustedProxies = ["127.0.0.1"];
            o.Access.AuthRequestsPerMinute = 100_000;
            o.Access.ChallengesPerClient = 6;
        });
        await using var _a = a;
        await using var _b = b;

        async Task<HttpStatusCode> ChallengeFromAsync(TestCoordinator at, string client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/challenge") { Content = JsonContent.Create(new { address = Wallet.Create().Address.Value }) };
            request.Headers.Add("X-Forwarded-For", client);
            using var response = await at.Anonymous.SendAsync(request);
            return response.StatusCode;
        }

        // All at once, half at each coordinator: the client's turn is taken in the store, so none slips past the limit.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => ChallengeFromAsync(i % 2 == 0 ? a : b, "198.51.100.66")));
        Assert.Equal(6, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(18, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, await ChallengeFromAsync(b, "203.0.113.5"));
    }
}

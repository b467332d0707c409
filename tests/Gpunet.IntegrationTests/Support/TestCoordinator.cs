using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Coordinator;
using Gpunet.Coordinator.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gpunet.IntegrationTests.Support;

/// <summary>A real coordinator on loopback ports with fast timings, its own data directory and store.</summary>
internal sealed class TestCoordinator : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private TestCoordinator(WebApplication app, string dataDir)
    {
        App = app;
        DataDir = dataDir;
        var endpoints = app.Services.GetRequiredService<CoordinatorEndpoints>();
        ApiUrl = endpoints.ApiUrl;
        AgentUrl = endpoints.AgentUrl;
        AdminToken = app.Services.GetRequiredService<AdminToken>().Value;
        Admin = new HttpClient { BaseAddress = new Uri(ApiUrl) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        Anonymous = new HttpClient { BaseAddress = new Uri(ApiUrl) };
    }

    public WebApplication App { get; }
    public string DataDir { get; }
    public string ApiUrl { get; }
    public string AgentUrl { get; }
    public string AdminToken { get; }
    public HttpClient Admin { get; }
    public HttpClient Anonymous { get; }

    public static string NewDataDir() => Directory.CreateTempSubdirectory("gpunet-test-").FullName;

    /// <summary>Starts a coordinator: SQLite in <paramref name="dataDir"/> unless <paramref name="db"/> names another store.</summary>
    public static async Task<TestCoordinator> StartAsync(
        string? dataDir = null, string? db = null, string urls = "http://127.0.0.1:0", string? agentUrls = null,
        Action<CoordinatorOptions>? configure = null, string? adminToken = null)
    {
        dataDir ??= NewDataDir();
        var app = CoordinatorApp.Build(urls, o =>
        {
            o.DataDirectory = dataDir;
            o.Database = db;
            o.NetworkId = "test";
            o.AdminToken = adminToken;
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
            o.SuspectAfterMissedHeartbeats = 5; // 1 s: margin for a busy CI machine
            o.OfflineGracePeriod = TimeSpan.FromMilliseconds(2500);
            o.OfflineTransitionsPerSecond = 100;
            o.MonitorInterval = TimeSpan.FromMilliseconds(100);
            o.PersistHeardEvery = TimeSpan.FromMilliseconds(300);
            o.MarketInterval = TimeSpan.FromMilliseconds(100);
            // Tests of other features use unstaked hosts; the staking tests turn the gate back on.
            o.RequireStake = false;
            // Likewise KYC and IP location: participants who never submitted count as approved, and agents on loopback
            // are taken at their declared country; the compliance tests turn both off.
            o.ApproveAllKyc = true;
            o.TrustDeclaredLocation = true;
            o.ComplianceSweepInterval = TimeSpan.FromSeconds(1);
            o.UsageLateness = TimeSpan.FromSeconds(2);
            configure?.Invoke(o);
        }, logging => logging.SetMinimumLevel(Environment.GetEnvironmentVariable("GPUNET_TEST_LOG") == "1" ? LogLevel.Debug : LogLevel.Warning), agentUrls);
        await app.StartAsync();
        return new TestCoordinator(app, dataDir);
    }

    /// <summary>Starts a coordinator on a fresh store of <paramref name="provider"/> (<c>sqlite</c> or <c>postgres</c>),
    /// with compliance enforced: nobody counts as KYC-approved and loopback agents are not located.</summary>
    public static Task<TestCoordinator> StrictAsync(string provider, Action<CoordinatorOptions>? configure = null)
    {
        var dir = NewDataDir();
        return StartAsync(dir, TestStores.NewDatabase(provider, dir), configure: o =>
        {
            o.ApproveAllKyc = false;
            o.TrustDeclaredLocation = false;
            configure?.Invoke(o);
        });
    }

    /// <summary>An HTTP client signed in as <paramref name="wallet"/> (a customer), through the real challenge and token,
    /// with <paramref name="funds"/> tokens deposited by the operator (orders take escrow from them).</summary>
    public async Task<HttpClient> CustomerAsync(Gpunet.Core.Identity.Wallet wallet, decimal funds = 100_000)
    {
        if (funds > 0)
        {
            using var deposit = await Admin.PostAsJsonAsync("/api/v1/wallet/deposit",
                new { amount = funds.ToString(System.Globalization.CultureInfo.InvariantCulture), to = wallet.Address.Value });
            if (!deposit.IsSuccessStatusCode)
                throw new InvalidOperationException($"depositing {funds} tokens for {wallet.Address} failed: {await deposit.Content.ReadAsStringAsync()}");
        }


        var challenge = (await (await Anonymous.PostAsJsonAsync("/api/v1/auth/challenge", new { address = wallet.Address.Value }))
            .Content.ReadFromJsonAsync<ChallengeDto>())!;
        var message = Gpunet.Core.Identity.SignInMessages.ForApiToken(challenge.Network, wallet.Address, challenge.Nonce, DateTimeOffset.FromUnixTimeSeconds(challenge.Timestamp));
        var token = (await (await Anonymous.PostAsJsonAsync("/api/v1/auth/token",
            new { address = wallet.Address.Value, nonce = challenge.Nonce, timestamp = challenge.Timestamp, signature = wallet.Sign(message) }))
            .Content.ReadFromJsonAsync<TokenDto>())!;
        var http = new HttpClient { BaseAddress = new Uri(ApiUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return http;
    }

    private sealed record ChallengeDto(string Nonce, string Network, long Timestamp);

    private sealed record TokenDto(string AccessToken);

    public async Task<List<HostView>> HostsAsync() =>
        (await Admin.GetFromJsonAsync<List<HostView>>("/api/v1/hosts", Json))!;

    public async Task<HostView?> HostAsync(string id)
    {
        using var r = await Admin.GetAsync($"/api/v1/hosts/{id}");
        return r.IsSuccessStatusCode ? await r.Content.ReadFromJsonAsync<HostView>(Json) : null;
    }

    public async Task<List<TransitionView>> TransitionsAsync(string id) =>
        (await Admin.GetFromJsonAsync<List<TransitionView>>($"/api/v1/hosts/{id}/transitions", Json))!;

    /// <summary>Starts an agent with <paramref name="gpus"/> and waits until its host is Ready.</summary>
    public async Task<TestAgent> ReadyAgentAsync(string gpus = "H100-SXM5-80GB:8", string country = "DE")
    {
        var agent = TestAgent.Start(ApiUrl, gpus, country);
        await WaitForStateAsync(await agent.HostIdAsync(), "Ready");
        return agent;
    }

    public Task<HostView> WaitForStateAsync(string id, string state, double seconds = 30) =>
        Eventually.Async(() => HostAsync(id), h => h.State == state, $"host {id} to be {state}", seconds);

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        Anonymous.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

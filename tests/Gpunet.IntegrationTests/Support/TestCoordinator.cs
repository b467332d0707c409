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

    private TestCoordinator(WebApplication app, string dataDir, SteppedClock? clock)
    {
        App = app;
        Clock = clock;
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

    /// <summary>The fake clock this coordinator runs on (the service tier), or null on the wall clock.</summary>
    public SteppedClock? Clock { get; }
    public string DataDir { get; }
    public string ApiUrl { get; }
    public string AgentUrl { get; }
    public string AdminToken { get; }
    public HttpClient Admin { get; }
    public HttpClient Anonymous { get; }

    private IDisposable? _detach;

    /// <summary>Undoes <see cref="ServiceTier.AttachAsync"/> when the coordinator stops.</summary>
    internal void DetachOnDispose(IDisposable detach) => _detach = detach;

    public static string NewDataDir() => Directory.CreateTempSubdirectory("gpunet-test-").FullName;

    /// <summary>Starts a coordinator: SQLite in <paramref name="dataDir"/> unless <paramref name="db"/> names another store;
    /// on <paramref name="clock"/> (the service tier: every loop ticks once a step) when given, else on the wall clock;
    /// <paramref name="settings"/> are configuration entries (<c>Coordinator:…</c>) bound before the overrides;
    /// <paramref name="services"/> registers more services after the coordinator's (a test's store that fails).</summary>
    public static async Task<TestCoordinator> StartAsync(
        string? dataDir = null, string? db = null, string urls = "http://127.0.0.1:0", string? agentUrls = null,
        Action<CoordinatorOptions>? configure = null, string? adminToken = null, SteppedClock? clock = null,
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        dataDir ??= NewDataDir();
        // The default store (gpunet.db in the data directory) starts as a copy of the migrated template, as TestStores'
        // stores do; a coordinator restarted on its data directory finds its own.
        if (db is null)
            await TestStores.CopySqliteTemplateAsync(Path.Combine(dataDir, "gpunet.db"));

        var app = CoordinatorApp.Build(urls, o =>
        {
            o.Store.DataDirectory = dataDir;
            o.Store.Database = db;
            o.Access.NetworkId = "test";
            o.Access.AdminToken = adminToken;
            o.Hosts.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
            o.Hosts.SuspectAfterMissedHeartbeats = 5; // 1 s: margin for a busy CI machine
            o.Hosts.OfflineGracePeriod = TimeSpan.FromMilliseconds(2500);
            o.Hosts.OfflineTransitionsPerSecond = 100;
            o.Hosts.MonitorInterval = TimeSpan.FromMilliseconds(100);
            o.Hosts.PersistHeardEvery = TimeSpan.FromMilliseconds(300);
            o.Market.MarketInterval = TimeSpan.FromMilliseconds(100);
            o.Market.ForeignChangeScanInterval = TimeSpan.FromMilliseconds(300);
            // Tests of other features use unstaked hosts; the staking tests turn the gate back on.
            o.Ledger.RequireStake = false;
            // Likewise KYC and IP location: participants who never submitted count as approved, and agents on loopback
            // are taken at their declared country; the compliance tests turn both off.
            o.Compliance.ApproveAllKyc = true;
            o.Compliance.TrustDeclaredLocation = true;
            o.Compliance.ComplianceSweepInterval = TimeSpan.FromSeconds(1);
            o.Metering.UsageLateness = TimeSpan.FromSeconds(2);
            // A coordinator stopped uncleanly (a killed process) hands its duties on within 2 s.
            o.Leadership.LeaderLease = TimeSpan.FromSeconds(2);
            o.Leadership.LeaderRenewInterval = TimeSpan.FromMilliseconds(500);
            if (clock is not null)
                ServiceTier.Configure(o);
            configure?.Invoke(o);
        }, logging => logging.SetMinimumLevel(Environment.GetEnvironmentVariable("GPUNET_TEST_LOG") == "1" ? LogLevel.Debug : LogLevel.Warning), agentUrls,
            registered =>
            {
                if (clock is not null)
                    registered.AddSingleton<TimeProvider>(clock);
                services?.Invoke(registered);
            }, settings);
        await app.StartAsync();
        var c = new TestCoordinator(app, dataDir, clock);
        if (clock is not null)
            await ServiceTier.AttachAsync(c, clock);
        return c;
    }

    /// <summary>Starts a coordinator on a fresh store of <paramref name="provider"/> (<c>sqlite</c> or <c>postgres</c>),
    /// with compliance enforced: nobody counts as KYC-approved and loopback agents are not located.</summary>
    public static async Task<TestCoordinator> StrictAsync(string provider, Action<CoordinatorOptions>? configure = null)
    {
        var dir = NewDataDir();
        return await StartAsync(dir, await TestStores.NewStoreAsync(provider, dir), configure: o =>
        {
            o.Compliance.ApproveAllKyc = false;
            o.Compliance.TrustDeclaredLocation = false;
            configure?.Invoke(o);
        });
    }

    /// <summary>An HTTP client signed in as <paramref name="wallet"/> (a customer), through the real challenge and token,
    /// with <paramref name="funds"/> tokens deposited by the operator (orders take escrow from them).</summary>
    public Task<HttpClient> CustomerAsync(Gpunet.Core.Identity.Wallet wallet, decimal funds = 100_000) =>
        CustomerAsync(ApiUrl, Admin, wallet, funds);

    /// <summary><see cref="CustomerAsync(Gpunet.Core.Identity.Wallet, decimal)"/> against any coordinator (a child process
    /// too): <paramref name="admin"/> deposits, and the sign-in goes to <paramref name="apiUrl"/>.</summary>
    public static async Task<HttpClient> CustomerAsync(string apiUrl, HttpClient admin, Gpunet.Core.Identity.Wallet wallet, decimal funds = 100_000)
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(apiUrl) };
        if (funds > 0)
        {
            using var deposit = await admin.PostAsJsonAsync("/api/v1/wallet/deposit",
                new { amount = funds.ToString(System.Globalization.CultureInfo.InvariantCulture), to = wallet.Address.Value });
            if (!deposit.IsSuccessStatusCode)
                throw new InvalidOperationException($"depositing {funds} tokens for {wallet.Address} failed: {await deposit.Content.ReadAsStringAsync()}");
        }


        var challenge = (await (await anonymous.PostAsJsonAsync("/api/v1/auth/challenge", new { address = wallet.Address.Value }))
            .Content.ReadFromJsonAsync<ChallengeDto>())!;
        var message = Gpunet.Core.Identity.SignInMessages.ForApiToken(challenge.Network, wallet.Address, challenge.Nonce, DateTimeOffset.FromUnixTimeSeconds(challenge.Timestamp));
        var token = (await (await anonymous.PostAsJsonAsync("/api/v1/auth/token",
            new { address = wallet.Address.Value, nonce = challenge.Nonce, timestamp = challenge.Timestamp, signature = wallet.Sign(message) }))
            .Content.ReadFromJsonAsync<TokenDto>())!;
        var http = new HttpClient { BaseAddress = new Uri(apiUrl) };
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

    /// <summary>Settings for a test that needs its hosts to stay heard on a loaded machine: Suspect only after
    /// <paramref name="silence"/> unheard (the tier's default is 1 s: five 200 ms heartbeats), Offline after
    /// <paramref name="grace"/> (by default as the tier has it, 2.5 s).</summary>
    public static Action<CoordinatorOptions> Unhurried(TimeSpan silence, TimeSpan? grace = null) => o =>
    {
        o.Hosts.SuspectAfterMissedHeartbeats = (int)(silence / o.Hosts.HeartbeatInterval);
        if (grace is { } g)
            o.Hosts.OfflineGracePeriod = g;
    };

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
        _detach?.Dispose();
        Admin.Dispose();
        Anonymous.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

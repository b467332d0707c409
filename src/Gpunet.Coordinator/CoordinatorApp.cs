using System.Reflection;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Gpunet.Coordinator.Agents;
using Gpunet.Coordinator.Api;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Compliance;
using Gpunet.Coordinator.Edge;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Metering;
using Gpunet.Coordinator.Scheduling;
using Gpunet.Coordinator.Observability;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Prometheus;
using Scalar.AspNetCore;

namespace Gpunet.Coordinator;

/// <summary>Builds and runs a coordinator: REST for people, gRPC for agents, one port.</summary>
public static class CoordinatorApp
{
    /// <summary>The product version reported by the API.</summary>
    public static string Version { get; } =
        typeof(CoordinatorApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Creates a coordinator listening on <paramref name="urls"/> (people) and <paramref name="agentUrls"/> (agents).</summary>
    /// <param name="urls">REST listen addresses, e.g. <c>http://127.0.0.1:7070</c>; port 0 picks a free port.</param>
    /// <param name="configure">Overrides applied after configuration binding.</param>
    /// <param name="configureLogging">Extra logging set-up (the CLI quiets the console).</param>
    /// <param name="agentUrls">gRPC listen addresses for agents; default the next port on the same host.</param>
    /// <param name="configureServices">Replaces registered services (the fake-clock test tier swaps the <see cref="TimeProvider"/>).</param>
    public static WebApplication Build(string urls, Action<CoordinatorOptions>? configure = null, Action<ILoggingBuilder>? configureLogging = null, string? agentUrls = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        // Token-protection keys live in the data directory with owner-only permissions; the "no XML encryptor" warning is expected.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        // A failed start is reported by the caller in one line; the host's own multi-line report would repeat it.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        // Every SQL command at Information would flood a coordinator's console; failures still show.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning);
        configureLogging?.Invoke(builder.Logging);
        builder.AddGpunetCoordinator(configure);
        configureServices?.Invoke(builder.Services);
        CoordinatorEndpoints? endpoints = null;
        builder.WebHost.ConfigureKestrel(k => endpoints = new CoordinatorEndpoints(k, urls, agentUrls ?? CoordinatorEndpoints.DefaultAgentUrls(urls)));
        builder.Services.AddSingleton(_ => endpoints ?? throw new InvalidOperationException("Kestrel was not configured"));
        var app = builder.Build();
        app.MapGpunetCoordinator();
        return app;
    }

    /// <summary>Registers every coordinator service.</summary>
    public static WebApplicationBuilder AddGpunetCoordinator(this WebApplicationBuilder builder, Action<CoordinatorOptions>? configure = null)
    {
        var services = builder.Services;
        var optionsBuilder = services.AddOptions<CoordinatorOptions>().BindConfiguration(CoordinatorOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.HeartbeatInterval >= TimeSpan.FromMilliseconds(100), "HeartbeatInterval: at least 100 ms")
            .Validate(o => o.OfflineGracePeriod > o.HeartbeatInterval * o.SuspectAfterMissedHeartbeats,
                "OfflineGracePeriod: must be longer than SuspectAfterMissedHeartbeats × HeartbeatInterval")
            .Validate(o => o.KycValidity > TimeSpan.Zero, "KycValidity: must be positive")
            .Validate(o => o.ComplianceSweepInterval >= TimeSpan.FromMilliseconds(100), "ComplianceSweepInterval: at least 100 ms")
            .Validate(o => o.KycVendor is null || (o.KycVendorUrl is not null && o.KycVendorSecret is { Length: >= 16 }),
                "KycVendor: a vendor needs KycVendorUrl and a KycVendorSecret of at least 16 characters")
            .Validate(o => o.ComplianceOfficers.All(a => Gpunet.Core.Identity.Address.TryParse(a, out _, out _)),
                "ComplianceOfficers: each must be a wallet address (0x + 40 hex digits)")
            .Validate(o => o.UsageLateness > o.HeartbeatInterval * 2,
                "UsageLateness: must exceed 2 heartbeat intervals (a usage report waits for the next heartbeat to confirm its period)")
            .ValidateOnStart();
        if (configure is not null)
            optionsBuilder.Configure(configure);

        // Options are needed now for Kestrel and the data-protection key folder.
        var o = new CoordinatorOptions();
        builder.Configuration.GetSection(CoordinatorOptions.Section).Bind(o);
        configure?.Invoke(o);
        OwnerOnlyFiles.CreateFolder(o.DataDirectory);
        // A bad --trusted-proxy stops the start with its value named, before anything listens.
        var trustedProxies = TrustedProxies.Parse(o.TrustedProxies);

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = o.MaxRequestBodyBytes;
            // Kestrel's default of 100 streams per connection stalls agents multiplexed over few connections.
            k.Limits.Http2.MaxStreamsPerConnection = o.MaxStreamsPerConnection;
            k.Limits.Http2.InitialConnectionWindowSize = 4 * 1024 * 1024;
            k.Limits.Http2.InitialStreamWindowSize = 256 * 1024;
            k.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
            k.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
        });

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var store = StoreConnection.Parse(sp.GetRequiredService<IOptions<CoordinatorOptions>>().Value.EffectiveDatabase);
            store.CreateOwnerOnlyFile();
            return store;
        });
        services.AddDbContextFactory<GpunetDb>((sp, db) => sp.GetRequiredService<StoreConnection>().Configure(db));
        services.AddSingleton<RegistrationWriter>();
        services.AddSingleton<HostStore>();
        services.AddSingleton<HostRegistry>();
        services.AddSingleton<HostRegistration>();
        services.AddSingleton<HeartbeatCounter>();
        services.AddSingleton<ISignatureScheme>(Secp256k1SignatureScheme.Instance);
        services.AddSingleton(sp => SignInChallenges.From(sp.GetRequiredService<IOptions<CoordinatorOptions>>().Value));
        services.AddSingleton(sp =>
        {
            var opt = sp.GetRequiredService<IOptions<CoordinatorOptions>>().Value;
            return new HostHealthPolicy(new HostHealthOptions
            {
                HeartbeatInterval = opt.HeartbeatInterval,
                SuspectAfterMissedHeartbeats = opt.SuspectAfterMissedHeartbeats,
                OfflineGracePeriod = opt.OfflineGracePeriod,
                OfflineTransitionsPerSecond = opt.OfflineTransitionsPerSecond,
            });
        });
        services.AddSingleton<HostMonitor>();
        services.AddHostedService<StoreStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<HostMonitor>());
        services.AddSingleton(sp => new EconomicsOptions { EpochLength = sp.GetRequiredService<IOptions<CoordinatorOptions>>().Value.EpochLength });
        services.AddSingleton(sp => new LedgerGenesis(new EmissionSchedule(sp.GetRequiredService<EconomicsOptions>()).PoolAtGenesis));
        services.AddSingleton<LedgerService>();
        services.AddSingleton(sp => new StakeTable(sp.GetRequiredService<EconomicsOptions>()));
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ComplianceService>();
        if (o.KycVendor is null)
            services.AddSingleton<IKycProvider, ReviewQueueProvider>();
        else
            services.AddHttpClient<IKycProvider, HttpKycVendor>(h => h.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<KycService>();
        services.AddSingleton<KycWebhooks>();
        services.AddSingleton<ComplianceEnforcer>();
        services.AddSingleton<ComplianceAdministration>();
        services.AddSingleton<IWithdrawalGate, ComplianceWithdrawalGate>();
        services.AddSingleton<HostStakes>();
        services.AddSingleton<Faucet>();
        services.AddSingleton<IPriceFeed>(sp => new FixedPriceFeed(new TokenRate(sp.GetRequiredService<IOptions<CoordinatorOptions>>().Value.UsdPerToken)));
        services.AddHostedService(sp => sp.GetRequiredService<LedgerService>());
        services.AddSingleton<EpochService>();
        services.AddHostedService(sp => sp.GetRequiredService<EpochService>());
        services.AddSingleton<PlacementWriter>();
        services.AddSingleton<PlacementStore>();
        services.AddSingleton<LeaseStore>();
        services.AddSingleton<LeaseLogFeed>();
        services.AddSingleton<QueuedLeaseLimit>();
        services.AddSingleton<UnplacedLeaseRelease>();
        services.AddSingleton<Market>();
        services.AddHostedService(sp => sp.GetRequiredService<Market>());
        services.AddHostedService(sp => sp.GetRequiredService<ComplianceEnforcer>());
        services.AddSingleton<UsageStore>();
        services.AddSingleton<UsageIntake>();
        services.AddSingleton<CoordinatorMetrics>();
        services.AddSingleton(new AdminToken(o.AdminToken));

        services.AddGrpc(g =>
        {
            g.MaxReceiveMessageSize = 256 * 1024;
            g.EnableDetailedErrors = false;
        });
        services.AddProblemDetails();
        // Requests the framework cannot read: a 4xx naming the field, logged at Information, no .NET type names.
        services.AddExceptionHandler<ClientErrorHandler>();
        services.Configure<ForwardedHeadersOptions>(trustedProxies.Apply);
        services.AddRateLimiter(r =>
        {
            r.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // The client as forwarded by a trusted proxy, else the connection: a header from anyone else changes nothing.
            r.AddPolicy(AuthApi.RateLimitPolicy, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ClientSource.Of(ctx.Connection.RemoteIpAddress),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = o.AuthRequestsPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });
        services.AddOpenApi(api => api.AddGpunetContract(Version));
        services.ConfigureHttpJsonOptions(j =>
        {
            j.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            j.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        services.Configure<RouteHandlerOptions>(r => r.ThrowOnBadRequest = true);

        services.AddDataProtection().SetApplicationName("gpunet-" + o.NetworkId);
        services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>().Configure<ILoggerFactory>((k, loggers) =>
            k.XmlRepository = new OwnerOnlyKeyRepository(new DirectoryInfo(Path.Combine(o.DataDirectory, "keys")), loggers));
        services.AddAuthentication(GpunetClaims.Scheme)
            .AddPolicyScheme(GpunetClaims.Scheme, "Admin token or wallet bearer token", p => p.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer " + GpunetClaims.AdminTokenPrefix, StringComparison.Ordinal)
                    ? GpunetClaims.AdminScheme
                    : BearerTokenDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, AdminTokenHandler>(GpunetClaims.AdminScheme, null)
            .AddBearerToken(b => b.BearerTokenExpiration = o.TokenLifetime);
        services.AddAuthorizationBuilder().AddGpunetPolicies();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, RefusalProblems>();
        return builder;
    }

    /// <summary>Maps every endpoint.</summary>
    public static WebApplication MapGpunetCoordinator(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseListenerSeparation();
        var metrics = app.Services.GetRequiredService<CoordinatorMetrics>();
        app.UseHttpMetrics(m => m.SetMetricFactory(metrics.Factory));
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGet("/healthz", Healthz).WithName("Health").WithTags("Operations").WithSummary("Liveness and store reachability").AllowAnonymous()
            .Produces<HealthView>().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapMetrics("/metrics", metrics.Registry);
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/reference", s => s.WithTitle("Gpunet coordinator API").WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();
        app.MapGet("/", () => TypedResults.Redirect("/reference")).ExcludeFromDescription().AllowAnonymous();

        var api = app.MapGroup("/api/v1").RequireAuthorization();
        api.MapAuthApi();
        api.MapNetworkApi();
        api.MapHostsApi();
        api.MapGpusApi();
        api.MapMarketApi();
        api.MapWalletApi();
        api.MapComplianceApi();

        app.MapGrpcService<AgentLinkService>().WithMetadata(AgentProtocolEndpoint.Instance);
        return app;
    }

    private static async Task<IResult> Healthz(IDbContextFactory<GpunetDb> dbs, HostRegistry registry, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var ok = await db.Database.CanConnectAsync(ct);
        return ok
            ? TypedResults.Ok(new HealthView("ok", registry.Count))
            : TypedResults.Problem("the store is unreachable", statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>Creates or checks the schema and loads the hosts before the server takes requests.</summary>
    private sealed class StoreStartup(HostStore store, HostRegistry registry, ComplianceService compliance, StoreConnection connection) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            try
            {
                await store.EnsureSchemaAsync(cancellationToken);
                registry.Load(await store.LoadAllAsync(cancellationToken));
                await compliance.LoadAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException and not InvalidOperationException { InnerException: null })
            {
                var root = e;
                while (root.InnerException is not null)
                    root = root.InnerException;
                throw new InvalidOperationException($"cannot open the store {connection.Provider} ({connection.Redacted}): {root.Message}", e);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

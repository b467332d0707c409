using System.Reflection;
using Gpunet.Coordinator.Agents;
using Gpunet.Coordinator.Api;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Compliance;
using Gpunet.Coordinator.Console;
using Gpunet.Coordinator.Edge;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Leadership;
using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Metering;
using Gpunet.Coordinator.Modules;
using Gpunet.Coordinator.Sla;
using Gpunet.Coordinator.Storage;
using Gpunet.Coordinator.Verification;

namespace Gpunet.Coordinator;

/// <summary>Builds and runs a coordinator: REST for people, gRPC for agents, one port.</summary>
public static class CoordinatorApp
{
    /// <summary>The product version reported by the API.</summary>
    public static string Version { get; } =
        typeof(CoordinatorApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The host's settings are read once, at start, and validated then: nothing watches <c>appsettings.json</c>
    /// for changes. A watch is an inotify instance on the content root (the working directory) and every folder below
    /// it: a coordinator started from a home folder watched all of it, and in-process agents and coordinators together
    /// reached the per-user limit of 128 instances (the 128th host of a devnet or a bench failed to start).</summary>
    internal const string WithoutConfigReload = "--hostBuilder:reloadConfigOnChange=false";

    /// <summary>Creates a coordinator listening on <paramref name="urls"/> (people) and <paramref name="agentUrls"/> (agents).</summary>
    /// <param name="urls">REST listen addresses, e.g. <c>http://127.0.0.1:7070</c>; port 0 picks a free port.</param>
    /// <param name="configure">Overrides applied after configuration binding.</param>
    /// <param name="configureLogging">Extra logging set-up (the CLI quiets the console).</param>
    /// <param name="agentUrls">gRPC listen addresses for agents; default the next port on the same host.</param>
    /// <param name="configureServices">Replaces registered services (the fake-clock test tier swaps the <see cref="TimeProvider"/>).</param>
    /// <param name="settings">Configuration entries over the environment's (<c>Coordinator:SlaTiers:gold:AvailabilityPercent</c>),
    /// bound like any other; <paramref name="configure"/> still applies after them.</param>
    public static WebApplication Build(string urls, Action<CoordinatorOptions>? configure = null, Action<ILoggingBuilder>? configureLogging = null, string? agentUrls = null,
        Action<IServiceCollection>? configureServices = null, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [WithoutConfigReload] });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        // Token-protection keys live in the shared store (Auth/StoredKeyRepository); the "no XML encryptor" warning is expected.
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

    /// <summary>Registers every coordinator module, each with its options, services and storage.</summary>
    /// <remarks>Hosted services start in the order their modules are added: the store first, the leader election, then the host monitor,
    /// the ledger and settlement, the market, the compliance sweep.</remarks>
    public static WebApplicationBuilder AddGpunetCoordinator(this WebApplicationBuilder builder, Action<CoordinatorOptions>? configure = null)
    {
        // What the host needs before its services exist: listen limits, the data folder, the KYC provider to register.
        var settings = CoordinatorOptions.Read(builder.Configuration, configure);
        builder.Services.AddSingleton(new CoordinatorOverrides(configure));
        builder.Services.AddSingleton(TimeProvider.System);
        return builder
            .AddStorage(settings)
            .AddLeadership()
            .AddEdge(settings)
            .AddAccess(settings)
            .AddHosts()
            .AddAgents()
            .AddLedger()
            .AddMarketplace()
            .AddMetering()
            .AddCompliance(settings)
            .AddVerification()
            .AddSla()
            .AddConsole()
            .AddOperations();
    }

    /// <summary>Maps every module's endpoints behind the edge and access middleware.</summary>
    public static WebApplication MapGpunetCoordinator(this WebApplication app)
    {
        // Parsed route and query values are checked once the caller is known to be allowed in.
        app.UseEdge().UseOperations().UseAccess().UseParameterCheck();
        app.UseConsolePages();
        app.MapOperations();
        app.MapGroup("/api/v1").RequireAuthorization()
            .MapAccess()
            .MapNetwork()
            .MapHosts()
            .MapMarketplace()
            .MapLedger()
            .MapCompliance()
            .MapVerification()
            .MapSla()
            .MapConsole();
        app.MapAgents();
        app.MapCheckerLink();
        return app;
    }
}

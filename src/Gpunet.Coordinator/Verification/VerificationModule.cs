using Gpunet.Coordinator.Edge;
using Gpunet.Coordinator.Modules;

namespace Gpunet.Coordinator.Verification;

/// <summary>Verification: checker nodes that prove each host's GPUs, liveness, service and location. Licences admit a
/// wallet as a checker; checkers hold a gRPC stream of their own (<see cref="CheckerLinkService"/>); the scheduler
/// issues checks to 2N+1 of them; their signed reports are decided by majority, with consequences (README,
/// Verification).</summary>
internal static class VerificationModule
{
    public static WebApplicationBuilder AddVerification(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddModuleOptions<VerificationOptions>()
            .Validate(o => o.ChecksRetention >= VerificationOptions.MinChecksRetention,
                $"Coordinator:ChecksRetention must be at least {VerificationOptions.MinChecksRetention.TotalDays} days: settlement, track records and the SLA read checks that far back")
            .Validate(o => o.RetentionSweepInterval > TimeSpan.Zero, "Coordinator:RetentionSweepInterval must be positive");
        services.AddSingleton<CheckerLicences>();
        services.AddSingleton<CheckerRoster>();
        services.AddSingleton<CheckBook>();
        services.AddSingleton<CheckerStandings>();
        services.AddSingleton<VerificationRestore>();
        services.AddSingleton<Honeypot>();
        services.AddSingleton<PlantedHosts>();
        services.AddSingleton<CheckIssuer>();
        services.AddSingleton<HostConsequences>();
        services.AddSingleton<CheckDecider>();
        services.AddSingleton<ReportIntake>();
        services.AddSingleton<ProbeRefusalIntake>();
        services.AddSingleton<CheckRetention>();
        services.AddSingleton<CheckScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<CheckScheduler>());
        return builder;
    }

    public static RouteGroupBuilder MapVerification(this RouteGroupBuilder api) => api.MapCheckersApi().MapChecksApi().MapHoneypotsApi();

    /// <summary>The checkers' stream and the honeypots' probe endpoint, on the agent listener.</summary>
    public static WebApplication MapCheckerLink(this WebApplication app)
    {
        app.MapGrpcService<CheckerLinkService>().WithMetadata(AgentProtocolEndpoint.Instance);
        app.MapGrpcService<HoneypotProbeService>().WithMetadata(AgentProtocolEndpoint.Instance);
        return app;
    }
}

using System.Threading.RateLimiting;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Modules;
using Microsoft.AspNetCore.RateLimiting;

namespace Gpunet.Coordinator.Console;

/// <summary>The web console: its pages at the coordinator's root, one-time sign-in links, the live network view and
/// each participant's alerts.
/// Every other thing a page shows comes from the rest of the API, with the signed-in user's own token.</summary>
internal static class ConsoleModule
{
    /// <summary>Live streams (network, lease and host pages together) one participant may hold open at once.</summary>
    public const int StreamsPerParticipant = 4;

    public static WebApplicationBuilder AddConsole(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddModuleOptions<ConsoleOptions>()
            .Validate(o => o.ConsoleLinkLifetime > TimeSpan.Zero && o.ConsoleLinkLifetime <= TimeSpan.FromHours(1), "ConsoleLinkLifetime: above 0, at most an hour")
            .Validate(o => o.AtlasInterval >= TimeSpan.FromMilliseconds(100), "AtlasInterval: at least 100 ms")
            .Validate(o => o.HostStreamInterval >= TimeSpan.FromMilliseconds(100), "HostStreamInterval: at least 100 ms")
            .Validate(o => o.LowBalanceRunway >= TimeSpan.Zero, "LowBalanceRunway: must not be negative")
            .Validate(o => o.FailedCheckAlertWindow > TimeSpan.Zero, "FailedCheckAlertWindow: must be positive")
            .Validate(o => o.AlertWebhookInterval >= TimeSpan.FromMilliseconds(100), "AlertWebhookInterval: at least 100 ms");
        services.AddSingleton<ConsoleLinks>();
        services.AddSingleton<NetworkAtlases>();
        services.AddSingleton<ParticipantAlerts>();
        services.AddHostedService<AlertWebhookSender>();
        services.Configure<RateLimiterOptions>(r => r.AddPolicy(NetworkAtlasApi.StreamPolicy, http => RateLimitPartition.GetConcurrencyLimiter(
            AccessModule.Participant(http), _ => new ConcurrencyLimiterOptions { PermitLimit = StreamsPerParticipant, QueueLimit = 0 })));
        return builder;
    }

    public static RouteGroupBuilder MapConsole(this RouteGroupBuilder api) => api
        .MapConsoleLinkApi()
        .MapNetworkAtlasApi()
        .MapHostEventsApi()
        .MapAlertsApi();
}

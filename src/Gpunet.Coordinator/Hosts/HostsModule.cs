using Gpunet.Coordinator.Api;
using Gpunet.Coordinator.Modules;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Hosts;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Hosts;

/// <summary>The hosts: registration, the registry in memory, heartbeats, and the monitor that marks silent hosts
/// suspect and then offline.</summary>
internal static class HostsModule
{
    public static WebApplicationBuilder AddHosts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddModuleOptions<HostsOptions>()
            .Validate(o => o.HeartbeatInterval >= TimeSpan.FromMilliseconds(100), "HeartbeatInterval: at least 100 ms")
            .Validate(o => o.OfflineGracePeriod > o.HeartbeatInterval * o.SuspectAfterMissedHeartbeats,
                "OfflineGracePeriod: must be longer than SuspectAfterMissedHeartbeats × HeartbeatInterval")
            .Validate(o => o.RegistryPollInterval > TimeSpan.Zero, "RegistryPollInterval: must be positive")
            .Validate(o => o.ChangesRetention >= TimeSpan.FromHours(1), "ChangesRetention: at least an hour")
            .Validate(o => o.ChangesSweepInterval > TimeSpan.Zero, "ChangesSweepInterval: must be positive");
        services.AddSingleton<OwnHostChanges>();
        services.AddSingleton<RegistrationWriter>();
        services.AddSingleton<HostStore>();
        services.AddSingleton<HostRegistry>();
        services.AddSingleton<HostHolds>();
        services.AddSingleton<HostRegistration>();
        services.AddSingleton<IdentityFlags>();
        services.AddSingleton(sp =>
        {
            var hosts = sp.GetRequiredService<IOptions<HostsOptions>>().Value;
            return new HostHealthPolicy(new HostHealthOptions
            {
                HeartbeatInterval = hosts.HeartbeatInterval,
                SuspectAfterMissedHeartbeats = hosts.SuspectAfterMissedHeartbeats,
                OfflineGracePeriod = hosts.OfflineGracePeriod,
                OfflineTransitionsPerSecond = hosts.OfflineTransitionsPerSecond,
            });
        });
        services.AddSingleton<HostChangeRetention>();
        services.AddSingleton<HostChangeFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<HostChangeFeed>());
        services.AddSingleton<HostMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<HostMonitor>());
        return builder;
    }

    public static RouteGroupBuilder MapHosts(this RouteGroupBuilder api) => api.MapHostsApi();
}

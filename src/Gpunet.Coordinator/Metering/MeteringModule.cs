using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Modules;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Metering;

/// <summary>Usage: the signed usage statements agents send for each lease, checked against what was heard, stored
/// for settlement.</summary>
internal static class MeteringModule
{
    public static WebApplicationBuilder AddMetering(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddModuleOptions<MeteringOptions>()
            .Validate<IOptions<HostsOptions>>((o, hosts) => o.UsageLateness > hosts.Value.HeartbeatInterval * 2,
                "UsageLateness: must exceed 2 heartbeat intervals (a usage report waits for the next heartbeat to confirm its period)");
        services.AddSingleton<UsageStore>();
        services.AddSingleton<UsageIntake>();
        return builder;
    }
}

using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Hosts;
using Gpunet.Core.Hosts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Api;

/// <summary>A public summary of the network.</summary>
internal static class NetworkApi
{
    public static RouteGroupBuilder MapNetworkApi(this RouteGroupBuilder api)
    {
        api.MapGet("/network", Get).WithTags("Network").WithName("GetNetwork")
            .WithSummary("Network summary").WithDescription("Network id, host counts by state, GPU count and the leading coordinator").AllowAnonymous();
        return api;
    }

    private static Ok<NetworkView> Get(HostRegistry registry, HostMonitor monitor, IOptions<AccessOptions> access, IOptions<HostsOptions> hosts, CoordinatorEndpoints endpoints,
        IOptions<Edge.EdgeOptions> edge, Leadership.LeadershipState leadership)
    {
        var byState = Enum.GetValues<HostState>().ToDictionary(s => s.ToString(), _ => 0);
        var gpus = 0;
        foreach (var e in registry.Entries)
        {
            byState[e.State.ToString()]++;
            gpus += e.Record.Gpus.Count;
        }

        var last = monitor.Last;
        return TypedResults.Ok(new NetworkView(access.Value.NetworkId, CoordinatorApp.Version, registry.Count, byState, gpus,
            hosts.Value.HeartbeatInterval.TotalSeconds, Math.Round(monitor.HeartbeatsPerSecond, 1), last?.OfflineTransitionsHeld ?? false, last?.HeldReason, edge.Value.PublicAgentUrl ?? endpoints.AgentUrl,
            leadership.Leader?.Holder, leadership.Leader?.Token, leadership.CoordinatorId));
    }
}

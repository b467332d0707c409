using Gpunet.Coordinator.Edge;

namespace Gpunet.Coordinator.Agents;

/// <summary>The agents' side: one gRPC stream per agent (handshake, heartbeats, lease reports, logs, usage) on the
/// agent listener.</summary>
internal static class AgentsModule
{
    public static WebApplicationBuilder AddAgents(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<HeartbeatCounter>();
        builder.Services.AddGrpc(g =>
        {
            g.MaxReceiveMessageSize = 256 * 1024;
            g.EnableDetailedErrors = false;
        });
        return builder;
    }

    public static WebApplication MapAgents(this WebApplication app)
    {
        app.MapGrpcService<AgentLinkService>().WithMetadata(AgentProtocolEndpoint.Instance);
        return app;
    }
}

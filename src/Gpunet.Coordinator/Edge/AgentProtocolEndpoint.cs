namespace Gpunet.Coordinator.Edge;

/// <summary>Endpoint metadata: the endpoint answers on the agent listener only (<see cref="ListenerSeparation"/>).</summary>
internal sealed class AgentProtocolEndpoint
{
    public static AgentProtocolEndpoint Instance { get; } = new();

    private AgentProtocolEndpoint()
    {
    }
}

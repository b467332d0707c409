namespace Gpunet.Coordinator.Edge;

/// <summary>Which of the coordinator's listeners a connection came in on: the REST API (people) or the agent port.</summary>
/// <remarks>Each endpoint answers on one of them only: the API on the API port, the agent protocol on the agent port.
/// The listener marks each connection it accepts, so this holds whatever port was bound (port 0 picks one at start)
/// and whatever <c>Host</c> header a client sends.</remarks>
internal enum Listener
{
    /// <summary>REST, OpenAPI, metrics and health (HTTP/1.1).</summary>
    Api,

    /// <summary>The agents' gRPC stream (HTTP/2).</summary>
    Agents,
}

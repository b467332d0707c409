using Gpunet.Coordinator.Concurrency;
using Gpunet.Protocol;
using Grpc.Core;

namespace Gpunet.Coordinator.Agents;

/// <summary>One connected agent stream (see <see cref="StreamSession{TMessage}"/>).</summary>
/// <remarks>The agent reconciles on its next registration whatever a closed session did not deliver.</remarks>
internal sealed class AgentSession(IServerStreamWriter<CoordinatorMessage> writer, string peer, TimeProvider time, ILogger log,
    CancellationToken callAborted, CancellationToken stopping)
    : StreamSession<CoordinatorMessage>(writer, peer, time, log, callAborted, stopping)
{
    /// <summary>Tells the agent why, then ends the session (another stream for the same host took over).</summary>
    public Task SupersedeAsync(string reason) =>
        EndWithAsync(new CoordinatorMessage { Command = new Command { Id = "disconnect", Disconnect = new Disconnect { Reason = reason } } });
}

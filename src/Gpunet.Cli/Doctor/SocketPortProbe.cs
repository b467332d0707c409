using Gpunet.Agent.Workloads;

namespace Gpunet.Cli.Doctor;

/// <summary>Binds the port on every address, as the agent's lease-port pool does before handing a port out.</summary>
internal sealed class SocketPortProbe : IPortProbe
{
    public bool IsFree(int port) => LeasePortPool.IsFree(port);
}

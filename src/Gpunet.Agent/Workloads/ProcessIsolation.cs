namespace Gpunet.Agent.Workloads;

/// <summary>How the <c>process</c> runtime keeps a workload from the host and from other leases.</summary>
public enum ProcessIsolation
{
    /// <summary>None: the workload runs as the agent's user, with its environment and its files (development only,
    /// <c>--unsafe-process-runtime</c>).</summary>
    None,

    /// <summary>A bubblewrap sandbox in a user namespace: the workload is the agent's user on the host, but sees none of
    /// its files, processes or variables (an agent not run as root).</summary>
    UserNamespace,

    /// <summary>A bubblewrap sandbox whose workload runs as its lease's own host uid (an agent run as root).</summary>
    UidPerLease,
}

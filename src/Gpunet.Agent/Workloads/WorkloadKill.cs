using KillCause = Gpunet.Protocol.LeaseReport.Types.KillCause;

namespace Gpunet.Agent.Workloads;

/// <summary>Why the agent killed a workload: the typed cause the coordinator ends the lease by, and the words a person
/// reads (e.g. "time limit of 1 s reached").</summary>
/// <param name="Cause">What made the agent kill it.</param>
/// <param name="Reason">The same in words, for the lease's history.</param>
public sealed record WorkloadKill(KillCause Cause, string Reason)
{
    /// <summary>The agent itself is shutting down.</summary>
    public static WorkloadKill AgentStopping { get; } = new(KillCause.AgentStopping, "agent stopping");

    /// <summary>The coordinator told the agent to stop the lease.</summary>
    public static WorkloadKill Stop(string reason) => new(KillCause.StopRequested, reason);
}

namespace Gpunet.Core.Marketplace;

/// <summary>Why an agent killed a lease's workload, as the agent reports it.</summary>
public enum WorkloadKillCause
{
    /// <summary>Not said (an agent from before the typed cause): the words of the report are read instead.</summary>
    Unknown,
    /// <summary>The coordinator told the agent to stop it.</summary>
    StopRequested,
    /// <summary>The lease's maximum runtime was reached.</summary>
    TimeLimit,
    /// <summary>It used more memory than its lease allows.</summary>
    MemoryLimit,
    /// <summary>The agent itself was shutting down.</summary>
    AgentStopping,
}

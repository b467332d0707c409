namespace Gpunet.Agent.Workloads;

/// <summary>What a lease asks the agent to run, and on which GPUs.</summary>
/// <param name="LeaseId">The lease the workload belongs to; names its working directory.</param>
/// <param name="Command">The program and its arguments; the program is looked up on PATH.</param>
/// <param name="GpuIndices">The host's GPU indices the lease holds; the only ones the workload sees.</param>
/// <param name="Environment">Extra environment variables for the workload.</param>
public sealed record WorkloadSpec(
    string LeaseId,
    IReadOnlyList<string> Command,
    IReadOnlyList<int> GpuIndices,
    IReadOnlyDictionary<string, string>? Environment = null);

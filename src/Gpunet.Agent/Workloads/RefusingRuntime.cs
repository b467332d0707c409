namespace Gpunet.Agent.Workloads;

/// <summary>A runtime of a honeypot (<see cref="AgentOptions.Honeypot"/>): named as <paramref name="inner"/>, it starts
/// nothing, so that an order placed on a planted host before its first failed check holds it ends START_FAILED and moves
/// on, instead of running a customer's workload on a decoy.</summary>
internal sealed class RefusingRuntime(IWorkloadRuntime inner) : IWorkloadRuntime
{
    public string Name => inner.Name;

    public bool IsAvailable(out string reason)
    {
        reason = $"the {inner.Name} runtime is not available";
        return false;
    }

    public Task<IRunningWorkload> StartAsync(WorkloadSpec spec, CancellationToken ct) =>
        throw new InvalidOperationException($"the {inner.Name} runtime is not available");
}

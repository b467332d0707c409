namespace Gpunet.Agent.Workloads;

/// <summary>A way to run a lease's workload: <c>process</c> (a local process) or <c>docker</c> (a container).</summary>
public interface IWorkloadRuntime
{
    /// <summary>The name a <c>StartLease</c> command asks for: "process" or "docker".</summary>
    string Name { get; }

    /// <summary>Whether this runtime can run workloads on this host; when not, <paramref name="reason"/> says why.</summary>
    bool IsAvailable(out string reason);

    /// <summary>Starts the workload with its limits enforced.</summary>
    /// <exception cref="ArgumentException">The spec is malformed (empty command, lease id that is not a plain name).</exception>
    /// <exception cref="InvalidOperationException">It cannot start here; the message says why.</exception>
    Task<IRunningWorkload> StartAsync(WorkloadSpec spec, CancellationToken ct);
}

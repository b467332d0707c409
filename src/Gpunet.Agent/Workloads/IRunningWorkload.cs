using System.Threading.Channels;

namespace Gpunet.Agent.Workloads;

/// <summary>A workload a runtime started: its output as it comes, its end, and a way to end it.</summary>
/// <remarks>Thread-safe. Disposing kills it if it still runs and frees what the runtime holds for it (for Docker, the
/// container).</remarks>
public interface IRunningWorkload : IAsyncDisposable
{
    /// <summary>Every line the workload writes, in order; completes when the workload ends.</summary>
    ChannelReader<WorkloadLogLine> Lines { get; }

    /// <summary>The exit code, once the workload has ended and its output is read.</summary>
    Task<int> Exited { get; }

    /// <summary>The host port customers reach the workload on (a session's or service's own, or a container's published
    /// port); null when it has none.</summary>
    int? EndpointPort { get; }

    /// <summary>Why the agent killed the workload, or null if it ended on its own.</summary>
    WorkloadKill? KilledBecause { get; }

    /// <summary>Kills the workload and everything it started; returns once it has exited. The first reason given is
    /// the one kept.</summary>
    Task KillAsync(WorkloadKill kill);
}

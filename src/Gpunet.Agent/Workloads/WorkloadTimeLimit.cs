using System.Globalization;
using KillCause = Gpunet.Protocol.LeaseReport.Types.KillCause;

namespace Gpunet.Agent.Workloads;

/// <summary>Kills a workload when its lease's maximum runtime is reached, on the given clock.</summary>
internal static class WorkloadTimeLimit
{
    /// <summary>Arms the limit (none if <paramref name="maxRuntime"/> is null); the timer goes when the workload ends.</summary>
    public static void Arm(IRunningWorkload workload, TimeSpan? maxRuntime, TimeProvider time)
    {
        if (maxRuntime is not { } limit)
            return;
        var timer = time.CreateTimer(_ => _ = workload.KillAsync(new WorkloadKill(KillCause.TimeLimit, Reason(limit))), null, limit, Timeout.InfiniteTimeSpan);
        _ = workload.Exited.ContinueWith(_ => timer.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>What <see cref="IRunningWorkload.KilledBecause"/> says: "time limit of 1 s reached".</summary>
    public static string Reason(TimeSpan limit) =>
        $"time limit of {limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s reached";
}

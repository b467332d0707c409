using System.Collections.Concurrent;
using System.Diagnostics;

namespace Gpunet.Agent.Workloads;

/// <summary>Starts processes from one thread that lives as long as the agent.</summary>
/// <remarks>bubblewrap's <c>--die-with-parent</c> is Linux's parent-death signal, which follows the *thread* that forked
/// the child, not the process: a workload started from a thread-pool thread was killed (exit 137) as soon as the pool
/// retired that thread. Started from here, a sandbox dies with the agent process, as meant, and only then.</remarks>
internal static class LauncherThread
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource<bool> Started)> Requests = [];

    static LauncherThread()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "gpunet workload launcher" };
        thread.Start();
    }

    /// <summary><see cref="Process.Start()"/> of <paramref name="process"/>, on the launcher thread; its exceptions are
    /// rethrown here.</summary>
    public static bool Start(Process process)
    {
        var started = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((process, started));
        return started.Task.GetAwaiter().GetResult();
    }

    private static void Run()
    {
        foreach (var (process, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(process.Start());
            }
#pragma warning disable CA1031 // handed back to the caller, who handles what Process.Start throws
            catch (Exception e)
#pragma warning restore CA1031
            {
                started.SetException(e);
            }
        }
    }
}

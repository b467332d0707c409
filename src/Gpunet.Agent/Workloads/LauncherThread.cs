using System.Collections.Concurrent;
using System.Diagnostics;

namespace Gpunet.Agent.Workloads;

/// <summary>Starts processes from a few threads that live as long as the agent.</summary>
/// <remarks>bubblewrap's <c>--die-with-parent</c> is Linux's parent-death signal, which follows the *thread* that forked
/// the child, not the process: a workload started from a thread-pool thread was killed (exit 137) as soon as the pool
/// retired that thread. Started from here, a sandbox dies with the agent process, as meant, and only then.
/// <para>A start holds its thread for the fork and exec (p50 3 ms, p99 24 ms measured in `gpunet bench rent`): with one
/// thread, the leases a host (or a devnet's hosts, in one process) starts together waited for each other, 2.5 starts
/// queued on average in that bench and the agent's start span p50 20 ms; with <see cref="Threads"/>, 0.6 and 13 ms.</para></remarks>
internal static class LauncherThread
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource<bool> Started)> Requests = [];

    /// <summary>Starts that can be under way at once.</summary>
    internal const int Threads = 4;

    static LauncherThread()
    {
        for (var i = 0; i < Threads; i++)
            new Thread(Run) { IsBackground = true, Name = "gpunet workload launcher" }.Start();
    }

    /// <summary><see cref="Process.Start()"/> of <paramref name="process"/>, on a launcher thread; its exceptions are
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

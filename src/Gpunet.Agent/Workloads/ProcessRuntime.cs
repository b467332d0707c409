namespace Gpunet.Agent.Workloads;

/// <summary>The <c>process</c> runtime: runs a workload as a local <see cref="ProcessWorkload"/> with its limits
/// enforced: CPU by pinning to whole cores, memory by a watchdog over the process tree, runtime by a timer.</summary>
/// <remarks>Thread-safe. CPU: ceil(CpuMilli / 1000) cores, the least used first (<see cref="CoreSet"/>), through
/// <c>taskset</c> when it is on PATH so that every child inherits the pinning from the first instruction, else by
/// setting the process's affinity right after start. Memory: the resident set of the whole tree, read from
/// <c>/proc</c> every <see cref="MemoryCheckInterval"/>; over the limit, the tree is killed.</remarks>
public sealed class ProcessRuntime : IWorkloadRuntime
{
    private const long MiB = 1024 * 1024;
    private readonly string _root;
    private readonly TimeProvider _time;
    private readonly CoreSet _cores;
    private readonly string? _taskset = FindProgram("taskset");

    /// <param name="root">The agent's work directory; workloads run in <c>ROOT/leases/LEASE</c>.</param>
    public ProcessRuntime(string root, TimeProvider time)
        : this(root, time, CoreSet.ForThisProcess())
    {
    }

    internal ProcessRuntime(string root, TimeProvider time, CoreSet cores)
    {
        _root = root;
        _time = time;
        _cores = cores;
    }

    /// <summary>How often the memory watchdog reads the tree's resident memory; 1 s by default.</summary>
    public TimeSpan MemoryCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc/>
    public string Name => "process";

    /// <inheritdoc/>
    public bool IsAvailable(out string reason)
    {
        var ok = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();
        reason = ok ? "" : "the process runtime needs Linux or macOS";
        return ok;
    }

    /// <inheritdoc/>
    public Task<IRunningWorkload> StartAsync(WorkloadSpec spec, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        spec.Validate();
        if (!IsAvailable(out var reason))
            throw new InvalidOperationException(reason);
        if (spec.MemoryMib > 0 && !ProcessTreeMemory.IsSupported)
            throw new InvalidOperationException("a memory limit needs Linux's /proc to be enforced");
        var program = FindProgram(spec.Command[0])
            ?? throw new InvalidOperationException($"could not start '{spec.Command[0]}': no such program");

        IReadOnlyList<int> cores = spec.CpuMilli > 0 ? _cores.Take(spec.CpuMilli) : [];
        ProcessWorkload workload;
        try
        {
            // taskset execs the program in its own place, so the pid stays the workload's; it gets the path found
            // above, so the program checked is the one run whatever PATH the lease sets.
            workload = cores.Count > 0 && _taskset is not null
                ? ProcessWorkload.Start(spec with { Command = [program, .. spec.Command.Skip(1)] }, _root, _time, [_taskset, "-c", CoreSet.ToList(cores)])
                : ProcessWorkload.Start(spec, _root, _time);
        }
        catch
        {
            _cores.Release(cores);
            throw;
        }

        if (cores.Count > 0 && _taskset is null)
            workload.PinTo(cores);
        _ = workload.Exited.ContinueWith(_ => _cores.Release(cores), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        WorkloadTimeLimit.Arm(workload, spec.MaxRuntime, _time);
        if (spec.MemoryMib > 0)
            WatchMemory(workload, spec.MemoryMib);
        return Task.FromResult<IRunningWorkload>(workload);
    }

    private void WatchMemory(ProcessWorkload workload, long limitMib)
    {
        var pid = workload.ProcessId;
        var busy = 0;
        var timer = _time.CreateTimer(_ =>
        {
            if (Interlocked.Exchange(ref busy, 1) == 1)
                return;
            try
            {
                if (workload.Exited.IsCompleted)
                    return;
                var used = ProcessTreeMemory.ResidentBytes(pid);
                if (used > limitMib * MiB)
                    _ = workload.KillAsync($"memory limit: used {used / MiB} MiB of {limitMib} MiB");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // /proc changed under us; the next tick reads it again.
            }
            finally
            {
                Volatile.Write(ref busy, 0);
            }
        }, null, MemoryCheckInterval, MemoryCheckInterval);
        _ = workload.Exited.ContinueWith(_ => timer.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>The path of an executable <paramref name="name"/>: as given when it has a '/', else found on PATH.</summary>
    private static string? FindProgram(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
            return IsExecutable(name) ? Path.GetFullPath(name) : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows()
            || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}

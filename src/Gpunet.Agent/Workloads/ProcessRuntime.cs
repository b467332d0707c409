using KillCause = Gpunet.Protocol.LeaseReport.Types.KillCause;

namespace Gpunet.Agent.Workloads;

/// <summary>The <c>process</c> runtime: runs a workload as a local <see cref="ProcessWorkload"/> in a bubblewrap sandbox
/// (<see cref="ProcessSandbox"/>) with its limits enforced: CPU by pinning to whole cores, memory by a watchdog over the
/// process tree, runtime by a timer.</summary>
/// <remarks>Thread-safe. Without a working sandbox the runtime is unavailable, unless <see cref="AllowUnsandboxed"/>
/// (development only): then workloads run as the agent's user. Whether the sandbox works is tried once, by running
/// <c>true</c> in it. CPU: ceil(CpuMilli / 1000) cores, the least used first (<see cref="CoreSet"/>), through
/// <c>taskset</c> when it is on PATH so that every child inherits the pinning from the first instruction, else by
/// setting the process's affinity right after start. Memory: the resident set of the whole tree, read from
/// <c>/proc</c> every <see cref="MemoryCheckInterval"/>; over the limit, the tree is killed. A session or service (or
/// a lease naming a port) gets a host port of its own from <see cref="Ports"/>, free when it starts, in
/// <c>GPUNET_PORT</c>: the sandbox shares the host's network, so the workload listens on it directly.</remarks>
public sealed class ProcessRuntime : IWorkloadRuntime
{
    private const long MiB = 1024 * 1024;
    private readonly string _root;
    private readonly TimeProvider _time;
    private readonly CoreSet _cores;
    private readonly string? _taskset = ProgramPath.Find("taskset");
    private readonly ProcessSandbox? _sandbox;
    // One pool per agent process: a devnet runs many agents in one, whose leases still get uids of their own.
    private static readonly SandboxUids Uids = new(SandboxUids.DefaultFirst, SandboxUids.DefaultCount);
    private readonly Lazy<string?> _sandboxFailure;
    // Installed once per agent process, for the whole uid pool, before the first lease with a uid of its own runs.
    private static readonly Lazy<string?> EgressFailure = new(() => LeaseEgressFilter.Install(Uids.First, Uids.Last));

    /// <param name="root">The agent's work directory; workloads run in <c>ROOT/leases/LEASE</c>.</param>
    public ProcessRuntime(string root, TimeProvider time)
        : this(root, time, CoreSet.ForThisProcess(), ProcessSandbox.Find(Environment.IsPrivilegedProcess, out var reason), reason)
    {
    }

    /// <param name="sandbox">The sandbox; null: none, because of <paramref name="noSandbox"/>.</param>
    internal ProcessRuntime(string root, TimeProvider time, CoreSet cores, ProcessSandbox? sandbox, string noSandbox = "")
    {
        _root = root;
        _time = time;
        _cores = cores;
        _sandbox = sandbox;
        _sandboxFailure = new(() => sandbox is null ? noSandbox : sandbox.Try(Uids));
    }

    // The host's /etc as workloads see it, copied once per process and again when it changes (made at the first
    // sandboxed start), in the work folder of the process's first agent: its own, out of reach of its leases and of other
    // users, and not a temporary folder whose cleaner would remove copies that are older than some days.
    private static SandboxEtc? _etc;
    private static readonly Lock EtcGate = new();

    private SandboxEtc Etc()
    {
        lock (EtcGate)
            return _etc ??= new SandboxEtc("/etc", Path.Combine(_root, "sandbox-etc"), ProcessSandbox.EtcFiles, TimeProvider.System);
    }

    /// <summary>Run workloads unsandboxed, as the agent's user with its environment and files, where the sandbox cannot
    /// run (no bubblewrap); for development only. Default false: the runtime is then unavailable.</summary>
    public bool AllowUnsandboxed { get; init; }

    /// <summary>How workloads are kept from the host and from each other; null when the runtime is unavailable.</summary>
    public ProcessIsolation? Isolation => _sandboxFailure.Value is null
        ? (_sandbox!.GivesEachLeaseItsOwnUid ? ProcessIsolation.UidPerLease : ProcessIsolation.UserNamespace)
        : AllowUnsandboxed && IsSupportedOs ? ProcessIsolation.None : null;

    /// <summary>Installs, once per agent process, the filter that keeps sandboxed leases from opening connections to
    /// this host and to local networks (<see cref="LeaseEgressFilter"/>); returns why leases are not filtered, or null
    /// when they are.</summary>
    public string? EnsureEgressFilter() => Isolation switch
    {
        ProcessIsolation.UidPerLease => EgressFailure.Value,
        ProcessIsolation.UserNamespace => "leases run as the agent's own user (the agent is not root), and the filter tells leases by their uid",
        ProcessIsolation.None => "leases run unsandboxed",
        _ => "process leases are refused",
    };

    private static bool IsSupportedOs => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    /// <summary>The host ports sessions and services are given, one per lease; default 30000-30999 (shared, per range,
    /// with the Docker runtime's published ports).</summary>
    public LeasePortRange Ports { get; init; } = LeasePortRange.Default;

    /// <summary>How often the memory watchdog reads the tree's resident memory; 1 s by default.</summary>
    public TimeSpan MemoryCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc/>
    public string Name => "process";

    /// <inheritdoc/>
    public bool IsAvailable(out string reason)
    {
        reason = !IsSupportedOs ? "the process runtime needs Linux or macOS"
            : Isolation is null ? $"the process runtime runs workloads only in a sandbox, and {_sandboxFailure.Value}; "
                + "--unsafe-process-runtime runs them unsandboxed, as the agent's user (development only)"
            : "";
        return reason.Length == 0;
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
        var sandbox = Isolation == ProcessIsolation.None ? null : _sandbox;
        if (Isolation == ProcessIsolation.UidPerLease)
            EnsureEgressFilter(); // in place (or known to be missing, as the agent said at start) before a lease runs
        var program = (sandbox is null ? ProgramPath.Find(spec.Command[0]) : ProcessSandbox.Resolve(spec.Command[0]))
            ?? throw new InvalidOperationException($"could not start '{spec.Command[0]}': no such program"
                + (sandbox is not null && spec.Command[0].Contains('/', StringComparison.Ordinal)
                    ? $" in the sandbox, which sees only {string.Join(", ", ProcessSandbox.SystemFolders)} and its lease folder"
                    : ""));

        IReadOnlyList<int> cores = spec.CpuMilli > 0 ? _cores.Take(spec.CpuMilli) : [];
        IReadOnlyList<string> launcher = cores.Count > 0 && _taskset is not null ? [_taskset, "-c", CoreSet.ToList(cores)] : [];
        int? uid = sandbox?.GivesEachLeaseItsOwnUid == true ? Uids.Take() : null;
        var ports = LeasePortPool.For(Ports);
        int? port = null;
        SandboxEtc.Use? etc = null;
        ProcessWorkload workload;
        try
        {
            if (spec.NeedsHostPort)
            {
                port = ports.RentListenable() ?? throw new InvalidOperationException($"no free host port in {Ports} for the lease to listen on");
                spec = spec with { ListenPort = port };
            }

            // taskset execs the program in its own place, so the pid stays the workload's; it gets the path found
            // above, so the program checked is the one run whatever PATH the lease sets.
            if (sandbox is null)
            {
                workload = ProcessWorkload.Start(spec with { Command = [program, .. spec.Command.Skip(1)] }, _root, _time, launcher);
            }
            else
            {
                etc = Etc().Acquire();
                workload = StartSandboxed(sandbox, spec, program, uid, launcher, etc.Folder);
            }
        }
        catch
        {
            etc?.Dispose();
            _cores.Release(cores);
            if (uid is { } taken)
                Uids.Release(taken);
            if (port is { } held)
                ports.Return(held);
            throw;
        }

        workload.EndpointPort = port;

        if (cores.Count > 0 && _taskset is null)
            workload.PinTo(cores);
        _ = workload.Exited.ContinueWith(_ =>
        {
            _cores.Release(cores);
            etc?.Dispose(); // its sandbox is gone with it
            // Every process of the uid has ended with the lease's PID namespace.
            if (uid is { } taken)
                Uids.Release(taken);
            // Nothing of the lease listens on its port any more: it ended with the lease's process tree.
            if (port is { } held)
                ports.Return(held);
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        WorkloadTimeLimit.Arm(workload, spec.MaxRuntime, _time);
        if (spec.MemoryMib > 0)
            WatchMemory(workload, spec.MemoryMib);
        return Task.FromResult<IRunningWorkload>(workload);
    }

    private ProcessWorkload StartSandboxed(ProcessSandbox sandbox, WorkloadSpec spec, string program, int? uid, IReadOnlyList<string> launcher, string etc)
    {
        var dir = spec.CreateWorkingDirectory(_root);
        if (uid is { } owner)
            UnixOwner.Set(dir, owner, owner);
        return ProcessWorkload.Launch(sandbox.StartInfo(spec, program, dir, uid ?? 0, launcher, etc), dir, spec.Command[0], _time);
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
                    _ = workload.KillAsync(new WorkloadKill(KillCause.MemoryLimit, $"memory limit: used {used / MiB} MiB of {limitMib} MiB"));
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
}

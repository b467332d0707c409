using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Gpunet.Agent.Workloads;

/// <summary>The sandbox a <c>process</c> lease runs in: bubblewrap (<c>bwrap</c>) with its own PID, IPC and UTS
/// namespaces, a clean environment, the host's programs and libraries read-only, its lease folder as the only writable
/// place (<c>/lease</c>, also its home and working directory), a private <c>/tmp</c>, and of the GPUs only the leased
/// ones' device nodes.</summary>
/// <remarks>
/// <para>Two ways to give the workload a user: when the agent runs as root (<see cref="GivesEachLeaseItsOwnUid"/>),
/// bubblewrap sets the namespaces up as root and <c>setpriv</c> then drops the workload, with every capability, to the
/// lease's own uid (<see cref="SandboxUids"/>) before anything of the customer's runs; the customer's environment is
/// applied only after that, by <c>env -i</c>, so that no variable of theirs (<c>LD_PRELOAD</c>) reaches a privileged
/// program. Otherwise bubblewrap runs in a user namespace (the workload is the agent's user on the host, but sees none
/// of its files) with every capability dropped.</para>
/// <para>Nothing outlives the lease: its first process is PID 1 of the namespace, and when it ends the kernel kills
/// everything else in it. The network is the host's: workloads download models and data, and a service lease listens
/// on its port.</para>
/// </remarks>
internal sealed class ProcessSandbox
{
    /// <summary>The lease folder as the workload sees it.</summary>
    public const string LeaseFolder = "/lease";

    /// <summary>PATH inside the sandbox; a command's program is looked up on it.</summary>
    public const string SearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The host folders a workload sees, read-only: programs and their libraries. Nothing else of the host's
    /// file system is there (not the agent's work folder, keys or home).</summary>
    internal static readonly string[] SystemFolders = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

    /// <summary>How the sandbox gets <see cref="SystemFolders"/>: each bound read-only, except one that is a link into
    /// another of them on the host (merged /usr: <c>/bin → usr/bin</c>), which is the same link in the sandbox. Each
    /// bind costs bubblewrap a read of the whole mount table, so the links are also the cheaper start.</summary>
    private static readonly Lazy<string[]> SystemFolderArgs = new(() => [.. SystemFolders.SelectMany(FolderArgs)]);

    private static string[] FolderArgs(string folder)
    {
        var link = new DirectoryInfo(folder).LinkTarget;
        if (link is null)
            return ["--ro-bind-try", folder, folder];
        var target = Path.GetFullPath(link, Path.GetDirectoryName(folder)!);
        // A link is kept only where its target is itself a bound folder (not a link), so it leads where it does on the host.
        return SystemFolders.Any(f => f != folder && (target == f || target.StartsWith(f + "/", StringComparison.Ordinal))
                && new DirectoryInfo(f).LinkTarget is null && Directory.Exists(target))
            ? ["--symlink", link, folder]
            : ["--ro-bind-try", folder, folder];
    }

    /// <summary>Host configuration programs commonly read (users' names, name resolution, CA certificates, the dynamic
    /// linker's cache, the time zone); each is world-readable on the host anyway.</summary>
    internal static readonly string[] EtcFiles =
    [
        "passwd", "group", "hosts", "host.conf", "resolv.conf", "nsswitch.conf", "gai.conf", "protocols", "services",
        "ssl", "ca-certificates", "ca-certificates.conf", "pki", "ld.so.cache", "ld.so.conf", "ld.so.conf.d",
        "alternatives", "localtime", "timezone", "os-release", "debian_version", "mime.types",
    ];

    /// <summary>The NVIDIA driver's control nodes, which CUDA and nvidia-smi open next to a GPU's own <c>nvidiaN</c>.
    /// <c>nvidia-caps</c> is left out: it configures MIG partitions of every GPU.</summary>
    private static readonly string[] NvidiaControlNodes = ["nvidiactl", "nvidia-uvm", "nvidia-uvm-tools", "nvidia-modeset"];

    private static readonly ConcurrentDictionary<string, Lazy<string?>> Trials = new(StringComparer.Ordinal);

    private readonly string _bubblewrap;
    private readonly string? _setpriv;
    private readonly string? _env;
    private readonly string _devices;
    private readonly string _driverInfo;

    private ProcessSandbox(string bubblewrap, string? setpriv, string? env, string devices, string driverInfo)
    {
        _bubblewrap = bubblewrap;
        _setpriv = setpriv;
        _env = env;
        _devices = devices;
        _driverInfo = driverInfo;
    }

    /// <summary>Whether each lease runs as its own host uid (the agent is root), rather than as the agent's user inside
    /// a user namespace.</summary>
    public bool GivesEachLeaseItsOwnUid => _setpriv is not null;

    /// <summary>The sandbox on this host, or null with the reason when its programs are missing.</summary>
    /// <param name="uidPerLease">Give each lease its own uid (needs root and <c>setpriv</c>); else a user namespace.</param>
    /// <param name="bubblewrap">bwrap's path or name on PATH.</param>
    /// <param name="devices">Where the host's device nodes are (<c>/dev</c>); tests point it at a folder of stand-ins.</param>
    /// <param name="driverInfo">Where the NVIDIA driver describes each GPU (<see cref="NvidiaDeviceMinors.DriverFolder"/>).</param>
    public static ProcessSandbox? Find(bool uidPerLease, out string reason, string bubblewrap = "bwrap", string devices = "/dev",
        string driverInfo = NvidiaDeviceMinors.DriverFolder)
    {
        reason = "";
        if (!OperatingSystem.IsLinux())
        {
            reason = "the process sandbox (bubblewrap) needs Linux";
            return null;
        }

        if (ProgramPath.Find(bubblewrap) is not { } bwrap)
        {
            reason = $"bubblewrap ('{bubblewrap}') is not installed: install it (Debian: apt-get install bubblewrap)";
            return null;
        }

        if (!uidPerLease)
            return new ProcessSandbox(bwrap, null, null, devices, driverInfo);
        // Both run inside the sandbox, so they are looked up where the workload's programs are.
        var setpriv = ProgramPath.Find("setpriv", SearchPath);
        var env = ProgramPath.Find("env", SearchPath);
        if (setpriv is null || env is null)
        {
            reason = $"'{(setpriv is null ? "setpriv" : "env")}' is not installed (Debian: util-linux and coreutils); it gives each lease its own uid";
            return null;
        }

        return new ProcessSandbox(bwrap, setpriv, env, devices, driverInfo);
    }

    /// <summary>The path of the program a command names, as the sandbox will run it: found on <see cref="SearchPath"/>,
    /// or an absolute path inside one of <see cref="SystemFolders"/>; null when the workload could not run it.</summary>
    public static string? Resolve(string name)
    {
        if (!name.Contains('/', StringComparison.Ordinal))
            return ProgramPath.Find(name, SearchPath);
        // Normalised first: /usr/../tmp/x is not in /usr.
        if (!Path.IsPathFullyQualified(name) || !SystemFolders.Any(f => Path.GetFullPath(name).StartsWith(f + "/", StringComparison.Ordinal)))
            return null;
        return ProgramPath.Find(Path.GetFullPath(name));
    }

    /// <summary>Runs <c>true</c> in the sandbox, once per agent process and sandbox: null when it worked, else why not
    /// (bubblewrap's own words: no user namespaces, no permission to mount).</summary>
    public string? Try(SandboxUids uids) =>
        Trials.GetOrAdd($"{_bubblewrap}|{_setpriv}|{_devices}", _ => new Lazy<string?>(() => TryOnce(uids))).Value;

    private string? TryOnce(SandboxUids uids)
    {
        var folder = Directory.CreateTempSubdirectory("gpunet-sandbox-try-").FullName;
        int? uid = GivesEachLeaseItsOwnUid ? uids.Take() : null;
        try
        {
            if (uid is { } owner)
                UnixOwner.Set(folder, owner, owner);
            var psi = StartInfo(new WorkloadSpec("sandbox-try", ["true"], []), ProcessSandbox.Resolve("true") ?? "true", folder, uid ?? 0, []);
            using var process = new Process { StartInfo = psi };
            if (!LauncherThread.Start(process))
                throw new InvalidOperationException("bubblewrap did not start");
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill(entireProcessTree: true);
                return "bubblewrap did not run a trial workload within 30 s";
            }

            process.WaitForExit();
            return process.ExitCode == 0 ? null
                : $"bubblewrap could not set up a sandbox here: {(stderr.Result + stdout.Result).Trim()}";
        }
        catch (Exception e) when (e is Win32Exception or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return $"bubblewrap could not set up a sandbox here: {e.Message}";
        }
        finally
        {
            if (uid is { } taken)
                uids.Release(taken);
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>How to start <paramref name="spec"/>'s command in the sandbox.</summary>
    /// <param name="program">The command's program, from <see cref="Resolve"/>.</param>
    /// <param name="leaseFolder">The lease's folder on the host; owned by <paramref name="uid"/> when there is one.</param>
    /// <param name="uid">The lease's uid when <see cref="GivesEachLeaseItsOwnUid"/>; else ignored.</param>
    /// <param name="launcher">A program that runs the rest in place of itself, on the host (<c>taskset -c 0</c>).</param>
    /// <param name="etc">The copy of the host's <see cref="EtcFiles"/> to bind at <c>/etc</c> (<see cref="SandboxEtc"/>);
    /// null binds each entry of the host's <c>/etc</c> alone.</param>
    public ProcessStartInfo StartInfo(WorkloadSpec spec, string program, string leaseFolder, int uid, IReadOnlyList<string> launcher, string? etc = null)
    {
        // '=' would end env's variable assignments early and make the program a variable.
        if (_env is not null && program.Contains('=', StringComparison.Ordinal))
            throw new InvalidOperationException($"could not start '{spec.Command[0]}': a program path may not hold '='");
        var args = new List<string>(launcher) { _bubblewrap, "--die-with-parent", "--new-session" };
        args.AddRange(_setpriv is not null
            // Not a user namespace: bubblewrap mounts as root, and setpriv below gives the workload a real uid.
            ? ["--unshare-ipc", "--unshare-pid", "--unshare-uts", "--unshare-cgroup-try"]
            : ["--unshare-all", "--share-net"]);
        args.AddRange(["--hostname", "gpunet-lease", "--clearenv"]);
        args.AddRange(SystemFolderArgs.Value);
        if (etc is not null)
            args.AddRange(["--ro-bind", etc, "/etc"]);
        else
        {
            foreach (var file in EtcFiles)
                args.AddRange(["--ro-bind-try", "/etc/" + file, "/etc/" + file]);
        }

        // CUDA, NVML and most ML libraries read the CPU and PCI topology here; it holds no secrets.
        args.AddRange(["--ro-bind-try", "/sys", "/sys", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]);
        if (spec.GpuIndices.Count > 0)
        {
            // A node that is not there (a simulated GPU) is skipped; the workload then simply sees no such device. The
            // lease names nvidia-smi's indices; the nodes are numbered by the driver's minors, read afresh for each start.
            var minors = NvidiaDeviceMinors.Read(_driverInfo);
            foreach (var node in spec.GpuIndices.Distinct().Select(i => NvidiaDeviceMinors.NodeName(minors, i)).Concat(NvidiaControlNodes))
                args.AddRange(["--dev-bind-try", Path.Combine(_devices, node), "/dev/" + node]);
        }

        args.AddRange(["--bind", leaseFolder, LeaseFolder, "--chdir", LeaseFolder]);
        var environment = Variables(spec).ToList();
        if (_setpriv is not null)
        {
            var id = uid.ToString(CultureInfo.InvariantCulture);
            // setpriv needs to change uid (SETUID, SETGID), drop the bounding set (SETPCAP) and enter /lease, which
            // is the lease's uid's alone (DAC_READ_SEARCH); it runs with a clean environment and gives all of them up.
            args.AddRange(["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP",
                "--cap-add", "CAP_DAC_READ_SEARCH", "--",
                _setpriv, "--reuid=" + id, "--regid=" + id, "--clear-groups", "--no-new-privs", "--bounding-set=-all", "--inh-caps=-all", "--",
                _env!, "-i", "--"]);
            args.AddRange(environment.Select(v => v.Key + "=" + v.Value));
        }
        else
        {
            args.AddRange(["--cap-drop", "ALL"]);
            foreach (var (name, value) in environment)
                args.AddRange(["--setenv", name, value]);
            args.Add("--");
        }

        args.Add(program);
        args.AddRange(spec.Command.Skip(1));

        var psi = new ProcessStartInfo(args[0])
        {
            WorkingDirectory = "/",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args.Skip(1))
            psi.ArgumentList.Add(arg);
        // The launchers run on the host, some as root: none of the agent's variables, none of the customer's.
        psi.Environment.Clear();
        psi.Environment["PATH"] = SearchPath;
        return psi;
    }

    /// <summary>The workload's environment: a plain base, the customer's variables, then the agent's, which win.</summary>
    /// <remarks>Inside the sandbox the leased GPUs are the only ones there, and CUDA numbers them from 0 (as in a
    /// container), so <c>CUDA_VISIBLE_DEVICES</c> is <c>0..n-1</c>; the host's indices are in <c>GPUNET_GPU_INDICES</c>.</remarks>
    internal static IEnumerable<KeyValuePair<string, string>> Variables(WorkloadSpec spec)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = SearchPath,
            ["HOME"] = LeaseFolder,
            ["TMPDIR"] = "/tmp",
            ["USER"] = "lease",
            ["LOGNAME"] = "lease",
            ["LANG"] = "C.UTF-8",
        };
        foreach (var (name, value) in spec.WorkloadEnvironment(renumbered: true))
            variables[name] = value;
        return variables;
    }
}

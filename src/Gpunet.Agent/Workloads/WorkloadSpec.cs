namespace Gpunet.Agent.Workloads;

/// <summary>What a lease asks the agent to run, on which GPUs, and within which limits.</summary>
/// <param name="LeaseId">The lease the workload belongs to; names its working directory.</param>
/// <param name="Command">The program and its arguments (the program is looked up on PATH), or for Docker the image and
/// the container's command.</param>
/// <param name="GpuIndices">The host's GPU indices the lease holds; the only ones the workload sees.</param>
/// <param name="Environment">Extra environment variables for the workload.</param>
public sealed record WorkloadSpec(
    string LeaseId,
    IReadOnlyList<string> Command,
    IReadOnlyList<int> GpuIndices,
    IReadOnlyDictionary<string, string>? Environment = null)
{
    /// <summary>CPU limit in millicores; 0: none.</summary>
    /// <remarks>The process runtime pins the workload to ceil(CpuMilli / 1000) cores; Docker enforces the exact share.</remarks>
    public int CpuMilli { get; init; }

    /// <summary>Memory limit in MiB over the workload's whole process tree; 0: none.</summary>
    public long MemoryMib { get; init; }

    /// <summary>How long the workload may run before the agent kills it; null: no limit.</summary>
    public TimeSpan? MaxRuntime { get; init; }

    /// <summary>The container's service port, which Docker publishes on a host port of the lease's own; null: none. The
    /// process runtime, where the workload shares the host's network, gives the lease a host port instead.</summary>
    public int? Port { get; init; }

    /// <summary>Whether the lease is a session or service, which customers connect to: the workload gets a host port of
    /// its own (<c>GPUNET_PORT</c>), reported to the coordinator as the lease's endpoint.</summary>
    public bool Endpoint { get; init; }

    /// <summary>Whether the runtime gives the lease a host port: it is a session or service, or names a port.</summary>
    internal bool NeedsHostPort => Endpoint || Port is not null;

    /// <summary>The port the workload listens on, as it sees it (<c>GPUNET_PORT</c>); set by the runtime that gave the
    /// lease its host port, null when none.</summary>
    internal int? ListenPort { get; init; }

    /// <summary>The share of each GPU in thousandths (1000 = whole).</summary>
    /// <remarks>Recorded for the workload's information; neither runtime can enforce a fraction of a GPU.</remarks>
    public int GpuMilli { get; init; } = 1000;

    /// <summary>Throws <see cref="ArgumentException"/> for an empty command, a lease id that is not a plain name, a
    /// negative GPU index or a negative limit.</summary>
    internal void Validate()
    {
        if (Command.Count == 0 || string.IsNullOrWhiteSpace(Command[0]))
            throw new ArgumentException("command: a program to run is required");
        if (!IsPlainName(LeaseId))
            throw new ArgumentException($"lease id '{LeaseId}' cannot name a directory");
        if (GpuIndices.Any(i => i < 0))
            throw new ArgumentException("gpu indices: may not be negative");
        if (CpuMilli < 0 || MemoryMib < 0 || MaxRuntime < TimeSpan.Zero || Port is < 1 or > 65535)
            throw new ArgumentException("limits: cpu, memory and runtime may not be negative; a port is 1..65535");
        // A name with '=' or a NUL cannot be set as a variable; the sandbox would read such a name as something else.
        if (Environment?.Any(v => v.Key.Length == 0 || v.Key.Contains('=', StringComparison.Ordinal) || v.Key.Contains('\0', StringComparison.Ordinal)
                || v.Value.Contains('\0', StringComparison.Ordinal)) == true)
            throw new ArgumentException("environment: a name is required and may hold neither '=' nor NUL, a value no NUL");
        if (Command.Any(a => a.Contains('\0', StringComparison.Ordinal)))
            throw new ArgumentException("command: an argument may not hold NUL");
    }

    /// <summary>The workload's own directory, <c>ROOT/leases/LEASE</c>, created if missing; on Linux and macOS
    /// private (0700, as is <c>ROOT/leases</c>): one tenant's files and output are no one else's on the host.</summary>
    internal string CreateWorkingDirectory(string root)
    {
        var leases = Path.Combine(Path.GetFullPath(root), "leases");
        var dir = Path.Combine(leases, LeaseId);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dir);
            return dir;
        }

        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(dir, Private);
        // A link (planted by whoever could write in ROOT, or left by a workload that owned its folder) is never followed:
        // the agent would hand its target to a lease, writable, and change its mode and owner.
        foreach (var folder in new[] { leases, dir })
        {
            if (new DirectoryInfo(folder).LinkTarget is not null)
                throw new InvalidOperationException($"{folder} is a link; the agent runs leases only in folders of its own");
        }

        // Folders made by an older agent were 0755.
        File.SetUnixFileMode(leases, Private);
        File.SetUnixFileMode(dir, Private);
        return dir;
    }

    /// <summary>The workload's variables: the lease's own, then the agent's, which win: only the leased GPUs are visible
    /// (<c>CUDA_VISIBLE_DEVICES</c>, <c>NVIDIA_VISIBLE_DEVICES</c>), the host's indices of them are in
    /// <c>GPUNET_GPU_INDICES</c>, the lease's id in <c>GPUNET_LEASE_ID</c>, and the port to listen on, when it has one, in
    /// <c>GPUNET_PORT</c>.</summary>
    /// <param name="renumbered">The runtime shows the workload only its GPUs (a sandbox, a container), which CUDA then
    /// numbers 0..n-1; false: every GPU of the host is there, and the variables name the leased ones by host index.</param>
    internal Dictionary<string, string> WorkloadEnvironment(bool renumbered)
    {
        static string Numbers(IEnumerable<int> indices) =>
            string.Join(',', indices.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var visible = Numbers(renumbered ? Enumerable.Range(0, GpuIndices.Count) : GpuIndices);
        var variables = new Dictionary<string, string>(Environment ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            ["CUDA_VISIBLE_DEVICES"] = visible,
            ["NVIDIA_VISIBLE_DEVICES"] = GpuIndices.Count == 0 ? "none" : visible,
            ["GPUNET_LEASE_ID"] = LeaseId,
            ["GPUNET_GPU_INDICES"] = Numbers(GpuIndices),
        };
        // The lease's own port: a customer's GPUNET_PORT would point the workload at a port another lease may hold.
        variables.Remove("GPUNET_PORT");
        if (ListenPort is { } port)
            variables["GPUNET_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return variables;
    }

    /// <summary>Whether a lease id is a plain name: 1 to 128 ASCII letters, digits, '-' or '_'.</summary>
    /// <remarks>Lease ids come from the coordinator and name a directory and a container label.</remarks>
    internal static bool IsPlainName(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

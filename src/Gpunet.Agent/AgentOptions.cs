namespace Gpunet.Agent;

/// <summary>Settings of one host agent.</summary>
public sealed class AgentOptions
{
    /// <summary>The coordinator's URL, e.g. <c>http://127.0.0.1:7070</c>: the first one the agent connects to.</summary>
    public required Uri Coordinator { get; init; }

    /// <summary>More coordinators of the same network (over the same store), tried in turn after <see cref="Coordinator"/>
    /// when the stream to the one in use fails. Default none.</summary>
    public IReadOnlyList<Uri> FailoverCoordinators { get; init; } = [];

    /// <summary><see cref="Coordinator"/> then <see cref="FailoverCoordinators"/>: the order the agent tries them in.</summary>
    public IReadOnlyList<Uri> Coordinators => [Coordinator, .. FailoverCoordinators];

    /// <summary>Simulated GPUs (<c>H100-SXM5-80GB:8</c>); empty means discover real GPUs with nvidia-smi.</summary>
    public IReadOnlyList<string> Simulate { get; init; } = [];

    /// <summary>The canonical model every simulated GPU performs as in capacity checks, whatever it claims
    /// (<c>--simulate-actual</c>): a cheat for demonstrations. Null: each performs as its declared model.</summary>
    public string? SimulateActual { get; init; }

    /// <summary>A honeypot the network's operator plants (<c>--honeypot</c>, then <c>gpunet honeypots plant HOST</c>):
    /// the checks the coordinator makes traps of are answered as by a host that is down (liveness, service) or computes
    /// wrong (capacity, on time, a product wrong in every row), so that a checker that passes one without looking is
    /// caught; every other check it answers as any host. It registers and heartbeats as any host and runs no workload.</summary>
    public bool Honeypot { get; init; }

    /// <summary>The probe endpoint's port (<c>--probe-port</c>); 0, the default, takes an ephemeral port.</summary>
    public int ProbePort { get; init; }

    /// <summary>The address advertised for the probe endpoint (<c>--probe-host</c>); default the declared public IP,
    /// else 127.0.0.1.</summary>
    public string? ProbeHost { get; init; }

    /// <summary>Seed for simulated GPU UUIDs; the same seed gives the same fingerprint after a restart.</summary>
    public string? SimulationSeed { get; init; }

    /// <summary>Declared country, ISO 3166-1 alpha-2.</summary>
    public required string Country { get; init; }

    public string Region { get; init; } = "";
    public double Latitude { get; init; }
    public double Longitude { get; init; }

    /// <summary>The public IP the host declares; checked against geolocation by the compliance issue.</summary>
    public string PublicIp { get; init; } = "";

    /// <summary>Ask price, USD per GPU-hour.</summary>
    public double PriceUsdPerGpuHour { get; init; } = 1.0;

    /// <summary>Name shown in listings; default: the machine name.</summary>
    public string? Hostname { get; init; }

    /// <summary>Path of nvidia-smi for real discovery.</summary>
    public string NvidiaSmi { get; init; } = "nvidia-smi";

    /// <summary>Where leases' workloads run: each in <c>WORK/leases/LEASE</c>. Default <c>gpunet/agent-work</c> in the
    /// user's local application data: not the shared temporary directory, where another user could make it first.</summary>
    public string WorkDirectory { get; init; } =
        Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.LocalApplicationData, System.Environment.SpecialFolderOption.Create), "gpunet", "agent-work");

    /// <summary>Run <c>process</c> workloads unsandboxed, as the agent's user with its environment and files, where the
    /// sandbox (bubblewrap) cannot run. For development only: a workload could then read the operator's key. Default
    /// false: without a sandbox the process runtime is refused.</summary>
    public bool UnsafeProcessRuntime { get; init; }

    /// <summary>How long a lease's folder (its files and <c>output.log</c>) is kept after the lease is over. Default a day.</summary>
    public TimeSpan LeaseRetention { get; init; } = Workloads.LeaseSupervisor.DefaultFolderRetention;

    /// <summary>How often a running lease's usage is reported (signed), for per-minute billing; a last report follows
    /// its end. Default 60 s.</summary>
    public TimeSpan UsageInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest wait between reconnection attempts. Default 15 s.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The host ports leases get (<c>--lease-ports</c>), one per lease: a session's or service's own port, and
    /// a container's published service port. Default 30000-30999, apart from the agent's own probe port (by default
    /// ephemeral, 32768 and up).</summary>
    public Workloads.LeasePortRange LeasePorts { get; init; } = Workloads.LeasePortRange.Default;

    /// <summary>What the Docker runtime may run: registries, digests, process limit (its host ports are
    /// <see cref="LeasePorts"/>).</summary>
    public Workloads.DockerRuntimeOptions Docker { get; init; } = new();
}

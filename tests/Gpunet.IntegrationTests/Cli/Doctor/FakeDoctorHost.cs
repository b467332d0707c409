using Gpunet.Cli.Doctor;

namespace Gpunet.IntegrationTests.Cli.Doctor;

/// <summary>A host for the doctor's rules: recorded tool outputs, ports, free space, an engine and a sandbox, as set.</summary>
/// <remarks>Defaults are a healthy GPU host: every port free, 100 GiB free, Docker with the NVIDIA runtime, the
/// sandbox with a uid per lease; no tool installed until <see cref="Outputs"/> names it.</remarks>
internal sealed class FakeDoctorHost : ICommandRunner, ICoordinatorProbe, IPortProbe, IDiskProbe, IDockerProbe, ISandboxProbe
{
    /// <summary>What each program prints, by program and arguments joined with spaces ("nvidia-smi" alone: its banner).</summary>
    public Dictionary<string, CommandOutput> Outputs { get; } = new(StringComparer.Ordinal);

    public HashSet<int> TakenPorts { get; } = [];

    public long? FreeBytes { get; set; } = 100L << 30;

    public DockerEngineInfo Docker { get; set; } = new("unix:///var/run/docker.sock", "27.3.1", ["nvidia", "runc"], null);

    public SandboxState Sandbox { get; set; } = new(null, UidPerLease: true, EgressGap: null);

    public CoordinatorAnswer? Answer { get; set; }

    public DoctorProbes Probes => new(this, this, this, this, this, this);

    public Task<CommandOutput?> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken ct) =>
        Task.FromResult(Outputs.GetValueOrDefault(string.Join(' ', [program, .. arguments])));

    public Task<CoordinatorAnswer> AskAsync(Uri coordinator, CancellationToken ct) =>
        Task.FromResult(Answer ?? throw new InvalidOperationException("no coordinator answer set"));

    public bool IsFree(int port) => !TakenPorts.Contains(port);

    long? IDiskProbe.FreeBytes(string path) => FreeBytes;

    public Task<DockerEngineInfo> InspectAsync(CancellationToken ct) => Task.FromResult(Docker);

    public SandboxState Inspect() => Sandbox;
}

using Gpunet.Agent.Workloads;
using Gpunet.Cli.Doctor;
using Gpunet.Contracts.Network;
using Gpunet.Core.Discovery;

namespace Gpunet.IntegrationTests.Cli.Doctor;

/// <summary>The doctor's checks on recorded host answers: what a host operator is told, and whether the host may join.</summary>
public sealed class HostDoctorTests
{
    private const string Query = "nvidia-smi --query-gpu=" + NvidiaSmiParser.QueryFields + " --format=csv,noheader,nounits";

    private const string Banner = """
        +-----------------------------------------------------------------------------------------+
        | NVIDIA-SMI 550.54.15              Driver Version: 550.54.15      CUDA Version: 12.4     |
        |-----------------------------------------+------------------------+----------------------+
        """;

    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static DoctorRequest Request(Uri? coordinator = null, int probePort = 0) =>
        new("nvidia-smi", coordinator, probePort, new LeasePortRange(30000, 30009), "/var/lib/gpunet");

    private static FakeDoctorHost GpuHost()
    {
        var host = new FakeDoctorHost();
        host.Outputs[Query] = new CommandOutput(0, SimulatedGpus.RenderQueryCsv([SimulatedGpuSpec.Parse("H100-SXM5-80GB:8")], "seed"));
        host.Outputs["nvidia-smi"] = new CommandOutput(0, Banner);
        host.Outputs["timedatectl show"] = new CommandOutput(0, "Timezone=Etc/UTC\nNTP=yes\nNTPSynchronized=yes\nCanNTP=yes\n");
        return host;
    }

    private static async Task<(DoctorReport Report, DoctorCheck Check)> ExamineAsync(FakeDoctorHost host, string check, DoctorRequest? request = null)
    {
        var report = await HostDoctor.ExamineAsync(request ?? Request(), host.Probes, CancellationToken.None);
        return (report, Assert.Single(report.Checks, c => c.Name == check));
    }

    [Fact]
    public async Task Examine_HealthyGpuHost_EveryCheckOkAndNothingToFix()
    {
        var (report, gpu) = await ExamineAsync(GpuHost(), "gpu");

        Assert.True(report.Ok);
        Assert.All(report.Checks, c => Assert.True(c is { Status: DoctorStatus.Ok, Fix: null }, $"{c.Name}: {c.Detail}"));
        Assert.Equal(["gpu", "clock", "probe-port", "lease-ports", "disk", "docker", "sandbox"], report.Checks.Select(c => c.Name));
        Assert.Equal("8 × H100-SXM5-80GB, driver 550.54.15, CUDA 12.4", gpu.Detail);
    }

    [Fact]
    public async Task Examine_NoNvidiaSmi_WarnsAndSaysSimulateWorks()
    {
        var host = GpuHost();
        host.Outputs.Clear();

        var (report, gpu) = await ExamineAsync(host, "gpu");

        Assert.True(report.Ok); // a machine without a GPU still joins a test network, simulated
        Assert.Equal(DoctorStatus.Warn, gpu.Status);
        Assert.Contains("no NVIDIA driver", gpu.Detail, StringComparison.Ordinal);
        Assert.Contains("--simulate MODEL:COUNT", gpu.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Examine_DriverNotAnswering_FailsWithNvidiaSmisReason()
    {
        var host = GpuHost();
        host.Outputs[Query] = new CommandOutput(9, "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n");

        var (report, gpu) = await ExamineAsync(host, "gpu");

        Assert.False(report.Ok);
        Assert.Equal(DoctorStatus.Fail, gpu.Status);
        Assert.Contains("exit 9", gpu.Detail, StringComparison.Ordinal);
        Assert.Contains("couldn't communicate with the NVIDIA driver", gpu.Detail, StringComparison.Ordinal);
        Assert.Contains("lsmod | grep nvidia", gpu.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Examine_GpuOutsideTheCatalog_FailsSinceTheCoordinatorRefusesIt()
    {
        var host = GpuHost();
        host.Outputs[Query] = new CommandOutput(0, "0, GPU-5e375e7e-b41f-155b-dcdc-534524c356fc, NVIDIA Mystery 7, 8192, 0, 0, 40, 550.54.15, 00000000:18:00.0\n");

        var (_, gpu) = await ExamineAsync(host, "gpu");

        Assert.Equal(DoctorStatus.Fail, gpu.Status);
        Assert.Contains("'NVIDIA Mystery 7' (8192 MiB) is not a model of Gpunet's catalog", gpu.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Examine_DriverWithoutCudaVersion_Warns()
    {
        var host = GpuHost();
        host.Outputs["nvidia-smi"] = new CommandOutput(0, "| NVIDIA-SMI 390.157    Driver Version: 390.157 |\n");

        var (report, gpu) = await ExamineAsync(host, "gpu");

        Assert.True(report.Ok);
        Assert.Equal(DoctorStatus.Warn, gpu.Status);
        Assert.Contains("names no CUDA version", gpu.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-600, "fail", "600 s behind the coordinator's; it refuses signed messages more than 300 s off")]
    [InlineData(30, "warn", "30 s ahead of the coordinator's: not kept by NTP")]
    [InlineData(0, "ok", "within 0.6 s of the coordinator's")]
    public async Task Examine_ClockAgainstTheCoordinator_JudgedByItsDateHeader(int aheadSeconds, string status, string detail)
    {
        var expected = Enum.Parse<DoctorStatus>(status, ignoreCase: true);
        var host = GpuHost();
        var url = new Uri("http://coordinator.example:7070");
        // A 200 ms round trip; the coordinator's Date truncates its clock (here 0.5 s past the second) to the second.
        var sentAt = Now.AddSeconds(aheadSeconds).AddMilliseconds(400);
        host.Answer = new CoordinatorAnswer(
            new NetworkView("gpunet-test", "1.0", 0, new Dictionary<string, int>(), 0, 10, 0, false, null, "http://coordinator.example:7071"),
            Now, sentAt, sentAt.AddMilliseconds(200), null);

        var (report, clock) = await ExamineAsync(host, "clock", Request(url));

        Assert.Equal(expected, clock.Status);
        Assert.Equal(detail, clock.Detail);
        Assert.Equal(expected == DoctorStatus.Ok ? null : "turn on NTP: timedatectl set-ntp true (or install chrony), then run gpunet doctor again", clock.Fix);
        Assert.Equal(DoctorStatus.Ok, Assert.Single(report.Checks, c => c.Name == "coordinator").Status);
    }

    [Fact]
    public async Task Examine_CoordinatorsAgentPortUnreachable_FailsNamingIt()
    {
        var host = GpuHost();
        host.Answer = new CoordinatorAnswer(
            new NetworkView("gpunet-test", "1.0", 0, new Dictionary<string, int>(), 0, 10, 0, false, null, "http://127.0.0.1:7171"),
            Now, Now, Now, null, "Connection refused");

        var (report, coordinator) = await ExamineAsync(host, "coordinator", Request(new Uri("http://coordinator.example:7070")));

        Assert.False(report.Ok);
        Assert.Equal(DoctorStatus.Fail, coordinator.Status);
        Assert.Contains("the agents' port it names, http://127.0.0.1:7171, cannot be reached: Connection refused", coordinator.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NTP=yes\nNTPSynchronized=no\nCanNTP=yes", "NTP is on but has not synchronized the clock yet")]
    [InlineData("NTP=no\nNTPSynchronized=no\nCanNTP=yes", "NTP is off: this clock drifts")]
    [InlineData("NTP=no\nNTPSynchronized=no\nCanNTP=no", "no NTP service keeps this clock")]
    public async Task Examine_ClockNotSynchronizedByNtp_Warns(string timedatectl, string detail)
    {
        var host = GpuHost();
        host.Outputs["timedatectl show"] = new CommandOutput(0, timedatectl);

        var (report, clock) = await ExamineAsync(host, "clock");

        Assert.True(report.Ok);
        Assert.Equal(DoctorStatus.Warn, clock.Status);
        Assert.Equal(detail, clock.Detail);
        Assert.NotNull(clock.Fix);
    }

    [Fact]
    public async Task Examine_ProbePortTaken_FailsAndSaysHowToFindWhoHoldsIt()
    {
        var host = GpuHost();
        host.TakenPorts.Add(9100);

        var (report, probe) = await ExamineAsync(host, "probe-port", Request(probePort: 9100));

        Assert.False(report.Ok);
        Assert.Equal(DoctorStatus.Fail, probe.Status);
        Assert.Equal("port 9100 is in use by another program: the agent cannot start its probe endpoint", probe.Detail);
        Assert.Contains("ss -ltnp 'sport = :9100'", probe.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Examine_SomeLeasePortsTaken_WarnsNamingThem_AllTaken_Fails()
    {
        var host = GpuHost();
        host.TakenPorts.UnionWith([30003, 30001]);

        var (report, lease) = await ExamineAsync(host, "lease-ports");

        Assert.True(report.Ok);
        Assert.Equal(DoctorStatus.Warn, lease.Status);
        Assert.Equal("2 of 10 lease ports 30000-30009 are in use (30001, 30003): the agent skips them", lease.Detail);

        host.TakenPorts.UnionWith(Enumerable.Range(30000, 10));
        (report, lease) = await ExamineAsync(host, "lease-ports");
        Assert.False(report.Ok);
        Assert.Equal(DoctorStatus.Fail, lease.Status);
        Assert.Contains("--lease-ports FIRST-LAST", lease.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(512L << 20, "fail")]
    [InlineData(5L << 30, "warn")]
    [InlineData(50L << 30, "ok")]
    public async Task Examine_DiskLow_FailsUnderOneGibWarnsUnderTen(long free, string status)
    {
        var expected = Enum.Parse<DoctorStatus>(status, ignoreCase: true);
        var host = GpuHost();
        host.FreeBytes = free;

        var (report, disk) = await ExamineAsync(host, "disk");

        Assert.Equal(expected, disk.Status);
        Assert.Equal(expected != DoctorStatus.Fail, report.Ok);
        Assert.StartsWith($"{free / (double)(1L << 30):0.#} GiB free for /var/lib/gpunet", disk.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Examine_NoDockerEngine_WarnsOnlyTheProcessRuntimeIsAvailable()
    {
        var host = GpuHost();
        host.Docker = new DockerEngineInfo("unix:///var/run/docker.sock", null, [], "no Docker Engine at unix:///var/run/docker.sock");

        var (report, docker) = await ExamineAsync(host, "docker");

        Assert.True(report.Ok);
        Assert.Equal(DoctorStatus.Warn, docker.Status);
        Assert.Contains("only the process runtime is available", docker.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Examine_NoDockerAndNoSandbox_FailsSinceNoWorkloadCanRun()
    {
        var host = GpuHost();
        host.Docker = new DockerEngineInfo("unix:///var/run/docker.sock", null, [], "no Docker Engine at unix:///var/run/docker.sock");
        host.Sandbox = new SandboxState("bubblewrap ('bwrap') is not installed", false, null);

        var report = await HostDoctor.ExamineAsync(Request(), host.Probes, CancellationToken.None);

        Assert.False(report.Ok);
        Assert.Equal(DoctorStatus.Fail, Assert.Single(report.Checks, c => c.Name == "docker").Status);
        var sandbox = Assert.Single(report.Checks, c => c.Name == "sandbox");
        Assert.Equal(DoctorStatus.Fail, sandbox.Status);
        Assert.Contains("apt-get install bubblewrap", sandbox.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Examine_DockerWithoutNvidiaRuntime_WarnsContainersGetNoGpus()
    {
        var host = GpuHost();
        host.Docker = new DockerEngineInfo("unix:///var/run/docker.sock", "27.3.1", ["runc"], null);

        var (_, docker) = await ExamineAsync(host, "docker");

        Assert.Equal(DoctorStatus.Warn, docker.Status);
        Assert.Contains("containers cannot be given GPUs", docker.Detail, StringComparison.Ordinal);
        Assert.Contains("nvidia-ctk runtime configure --runtime=docker", docker.Fix, StringComparison.Ordinal);
    }
}

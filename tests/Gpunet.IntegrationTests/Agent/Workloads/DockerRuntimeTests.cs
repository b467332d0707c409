using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;
using Gpunet.Agent.Workloads;
using Gpunet.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Phase = Gpunet.Protocol.LeaseReport.Types.Phase;

namespace Gpunet.IntegrationTests.Agent.Workloads;

/// <summary>The Docker runtime: what it asks the engine for, what it refuses, what it says without one, and (where an
/// engine answers, see <c>.ci/start-docker</c>) real containers.</summary>
public sealed class DockerRuntimeTests
{
    private const string Image = DockerFactAttribute.Image;
    private static readonly Uri Nowhere = new("unix:///nonexistent/docker.sock");

    // An endpoint taken on trust where nothing listens: a refusal that comes back names the image, not the connection.
    private static readonly Uri NeverContacted = new("tcp://127.0.0.1:9");

    private static DockerRuntime Runtime(DockerRuntimeOptions? options = null, Uri? endpoint = null) =>
        new(ProcessProbe.Root(), TimeProvider.System, endpoint, options);

    private static DockerImageReference Reference(string text) =>
        DockerImageReference.TryParse(text, out var reference, out var error) ? reference : throw new ArgumentException(error);

    private static async Task<List<WorkloadLogLine>> ReadToEndAsync(IRunningWorkload workload)
    {
        var lines = new List<WorkloadLogLine>();
        await foreach (var line in workload.Lines.ReadAllAsync())
            lines.Add(line);
        return lines;
    }

    [Fact]
    public async Task WithoutEngine_IsUnavailableWithTheReason_AndStartSaysSo()
    {
        var runtime = Runtime(endpoint: Nowhere);

        Assert.False(runtime.IsAvailable(out var reason));
        Assert.Equal("no Docker Engine at unix:///nonexistent/docker.sock", reason);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            runtime.StartAsync(new WorkloadSpec("lease-d", [Image, "true"], []), CancellationToken.None));
        Assert.Equal(reason, e.Message);
    }

    [Fact]
    public void Parameters_GpuLease_RequestsHostIndicesButNumbersThemFromZeroInside()
    {
        var spec = new WorkloadSpec("lease-p", ["vllm/vllm-openai:latest", "--model", "m"], [5, 6], new Dictionary<string, string> { ["HF_HOME"] = "/cache" })
        {
            CpuMilli = 2500,
            MemoryMib = 4096,
            Port = 8000,
        };

        var p = DockerRuntime.Parameters(spec, Reference("vllm/vllm-openai:latest"), hostPort: 30007, attachGpus: true, pidsLimit: 4096);

        Assert.Equal("docker.io/vllm/vllm-openai:latest", p.Image);
        Assert.Equal(["--model", "m"], p.Cmd);
        Assert.Equal("lease-p", p.Labels["gpunet.lease"]);
        Assert.Contains("HF_HOME=/cache", p.Env);
        Assert.Contains("GPUNET_LEASE_ID=lease-p", p.Env);
        // The NVIDIA runtime mounts host GPUs 5 and 6; inside, CUDA sees them as 0 and 1.
        var gpus = Assert.Single(p.HostConfig.DeviceRequests);
        Assert.Equal("nvidia", gpus.Driver);
        Assert.Equal(["5", "6"], gpus.DeviceIDs);
        Assert.Equal(["gpu"], Assert.Single(gpus.Capabilities));
        Assert.Contains("CUDA_VISIBLE_DEVICES=0,1", p.Env);
        Assert.Contains("NVIDIA_VISIBLE_DEVICES=void", p.Env);
        Assert.Equal(2_500_000_000L, p.HostConfig.NanoCPUs);
        Assert.Equal(4096L * 1024 * 1024, p.HostConfig.Memory);
        Assert.Equal(4096L * 1024 * 1024, p.HostConfig.MemorySwap);
        // The service port is published on the host port the agent chose, not on the one the lease named.
        Assert.Contains("8000/tcp", p.ExposedPorts.Keys);
        Assert.Equal("30007", Assert.Single(p.HostConfig.PortBindings["8000/tcp"]).HostPort);
        Assert.Contains("GPUNET_HOST_PORT=30007", p.Env);
        Assert.Contains("GPUNET_PORT=8000", p.Env);
        Assert.Equal(DockerRuntime.ServiceNetwork, p.HostConfig.NetworkMode);
    }

    [Fact]
    public void Parameters_SessionWithoutAPort_ListensOnTheHostPortsNumber()
    {
        var spec = new WorkloadSpec("lease-s", [Image], [], new Dictionary<string, string> { ["GPUNET_PORT"] = "22" }) { Endpoint = true };

        var p = DockerRuntime.Parameters(spec, Reference(Image), hostPort: 30011, attachGpus: true, pidsLimit: 4096);

        Assert.Equal("30011", Assert.Single(p.HostConfig.PortBindings["30011/tcp"]).HostPort);
        // The lease's own port wins over a variable the customer set.
        Assert.Contains("GPUNET_PORT=30011", p.Env);
        Assert.DoesNotContain("GPUNET_PORT=22", p.Env);
        Assert.Equal(DockerRuntime.ServiceNetwork, p.HostConfig.NetworkMode);
    }

    [Fact]
    public void Parameters_AnyLease_RunsUnprivilegedWithoutHostMounts()
    {
        var p = DockerRuntime.Parameters(new WorkloadSpec("lease-h", [Image], []), Reference(Image), hostPort: null, attachGpus: true, pidsLimit: 512);

        Assert.False(p.HostConfig.Privileged);
        Assert.Equal(["ALL"], p.HostConfig.CapDrop);
        Assert.Null(p.HostConfig.CapAdd);
        Assert.Equal(["no-new-privileges"], p.HostConfig.SecurityOpt);
        Assert.Equal(512L, p.HostConfig.PidsLimit);
        Assert.Null(p.HostConfig.Binds);
        Assert.Null(p.HostConfig.Mounts);
    }

    [Fact]
    public void Parameters_WithoutGpusOrPort_AskForNoneAndNoNetwork()
    {
        var p = DockerRuntime.Parameters(new WorkloadSpec("lease-q", ["busybox"], []), Reference("busybox"), hostPort: null, attachGpus: true, pidsLimit: 4096);

        Assert.Null(p.Cmd);
        Assert.Null(p.HostConfig.DeviceRequests);
        Assert.Equal(0L, p.HostConfig.NanoCPUs);
        Assert.Equal(0L, p.HostConfig.Memory);
        Assert.Null(p.HostConfig.PortBindings);
        Assert.Equal("none", p.HostConfig.NetworkMode);
        Assert.Contains("NVIDIA_VISIBLE_DEVICES=none", p.Env);
        Assert.Contains("CUDA_VISIBLE_DEVICES=", p.Env);
    }

    [Fact]
    public void Parameters_LeaseNamesTheGpuVariables_TheAgentsValuesWin()
    {
        var env = new Dictionary<string, string>
        {
            ["NVIDIA_VISIBLE_DEVICES"] = "all",
            ["CUDA_VISIBLE_DEVICES"] = "0,1,2,3,4,5,6,7",
            ["GPUNET_LEASE_ID"] = "someone-else",
        };

        var p = DockerRuntime.Parameters(new WorkloadSpec("lease-e", [Image], [3], env), Reference(Image), hostPort: null, attachGpus: true, pidsLimit: 4096);

        Assert.Equal(["CUDA_VISIBLE_DEVICES=0", "GPUNET_GPU_INDICES=3", "GPUNET_LEASE_ID=lease-e", "NVIDIA_VISIBLE_DEVICES=void"],
            p.Env.Where(e => e.StartsWith("CUDA_", StringComparison.Ordinal) || e.StartsWith("NVIDIA_", StringComparison.Ordinal) || e.StartsWith("GPUNET_", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("localhost:2375/x", "image 'localhost:2375/x': registry localhost:2375 is not allowed on this host (allowed: docker.io)")]
    [InlineData("registry.internal.example/app:1", "image 'registry.internal.example/app:1': registry registry.internal.example is not allowed on this host (allowed: docker.io)")]
    [InlineData("10.0.0.5:5000/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "image '10.0.0.5:5000/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef': registry 10.0.0.5:5000 is not allowed on this host (allowed: docker.io)")]
    [InlineData("busybox --privileged", "image: 'busybox --privileged' is not an image reference ([REGISTRY/]NAME[:TAG][@sha256:DIGEST], lower-case name)")]
    public async Task Start_ImageNotFromAnAllowedRegistry_IsRefusedBeforeTheEngineIsAsked(string image, string reason)
    {
        var runtime = Runtime(endpoint: NeverContacted);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            runtime.StartAsync(new WorkloadSpec("lease-r", [image, "true"], []), CancellationToken.None));

        Assert.Equal(reason, e.Message);
    }

    [Fact]
    public void Admit_OperatorsRegistries_ReplaceDockerHub()
    {
        var runtime = Runtime(new DockerRuntimeOptions { Registries = ["GHCR.io", "registry.internal:5000"] });

        Assert.Equal("ghcr.io", runtime.Admit("ghcr.io/org/app:1").Registry);
        Assert.Equal("registry.internal:5000", runtime.Admit("registry.internal:5000/team/app").Registry);
        var e = Assert.Throws<InvalidOperationException>(() => runtime.Admit("busybox"));
        Assert.Equal("image 'busybox': registry docker.io is not allowed on this host (allowed: ghcr.io, registry.internal:5000)", e.Message);
    }

    [Fact]
    public void Admit_DigestsRequired_RefusesATagAndRunsAPinnedImage()
    {
        const string pinned = "busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        var runtime = Runtime(new DockerRuntimeOptions { RequireDigest = true });

        Assert.True(runtime.Admit(pinned).IsPinned);
        var e = Assert.Throws<InvalidOperationException>(() => runtime.Admit("busybox:1.36"));
        Assert.Equal("image 'busybox:1.36': this host runs only images pinned by digest (NAME@sha256:...)", e.Message);
    }

    [Fact]
    public void Construct_RegistryNotAHost_IsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Runtime(new DockerRuntimeOptions { Registries = ["https://ghcr.io"] }));
        Assert.StartsWith("docker registry 'https://ghcr.io' is not HOST or HOST:PORT", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervisor_RefusedImage_EndsStartFailedWithTheReason()
    {
        await using var supervisor = new LeaseSupervisor(ProcessProbe.Root(), TimeProvider.System, NullLogger.Instance, [Runtime(endpoint: NeverContacted)]);
        var start = new StartLease { LeaseId = "lease-sf", Runtime = "docker" };
        start.Command.Add(["localhost:2375/x", "true"]);

        supervisor.Start(start);

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        LeaseReport report;
        do
            report = (await supervisor.Outbox.ReadAsync(deadline.Token)).LeaseReport;
        while (report is null or { Phase: Phase.Running });
        Assert.Equal(Phase.StartFailed, report.Phase);
        Assert.Equal("image 'localhost:2375/x': registry localhost:2375 is not allowed on this host (allowed: docker.io)", report.Detail);
    }

    [DockerFact]
    public async Task Container_WritesAndExits_LinesLogAndExitCodeAreKept()
    {
        var runtime = Runtime();
        await using var workload = await runtime.StartAsync(
            new WorkloadSpec("lease-dk", [Image, "sh", "-c", "echo hello $GPUNET_LEASE_ID; echo oops >&2; exit 3"], []), CancellationToken.None);

        var lines = await ReadToEndAsync(workload);

        Assert.Equal(3, await workload.Exited);
        Assert.Null(workload.KilledBecause);
        Assert.Contains(lines, l => l is { Stream: "stdout", Text: "hello lease-dk" });
        Assert.Contains(lines, l => l is { Stream: "stderr", Text: "oops" });
    }

    [DockerFact]
    public async Task Container_GpuLeaseOnHostGpus5And6_SeesThemAsGpus0And1()
    {
        // The engine here has no NVIDIA driver to attach GPUs with; the environment inside is what a GPU host gives.
        var runtime = new DockerRuntime(ProcessProbe.Root(), TimeProvider.System) { AttachGpus = false };
        var spec = new WorkloadSpec("lease-gpu", [Image, "env"], [5, 6], new Dictionary<string, string> { ["NVIDIA_VISIBLE_DEVICES"] = "all" });
        await using var workload = await runtime.StartAsync(spec, CancellationToken.None);

        var env = (await ReadToEndAsync(workload)).Select(l => l.Text).ToList();

        Assert.Equal(0, await workload.Exited);
        Assert.Contains("CUDA_VISIBLE_DEVICES=0,1", env);
        Assert.Contains("NVIDIA_VISIBLE_DEVICES=void", env);
        Assert.Contains("GPUNET_LEASE_ID=lease-gpu", env);
        // The host's indices only as information for the workload; CUDA and the NVIDIA runtime never see them.
        Assert.Contains("GPUNET_GPU_INDICES=5,6", env);
        Assert.DoesNotContain(env, e => e.Contains("=all", StringComparison.Ordinal)
            || (e.Contains("5,6", StringComparison.Ordinal) && !e.StartsWith("GPUNET_GPU_INDICES=", StringComparison.Ordinal)));
    }

    [DockerFact]
    public async Task Container_WithoutServicePort_HasNoCapabilitiesNoEscalationAndNoNetwork()
    {
        var runtime = Runtime();
        await using var workload = await runtime.StartAsync(
            new WorkloadSpec("lease-hard", [Image, "sh", "-c", "cat /proc/self/status; echo net: $(ls /sys/class/net)"], []), CancellationToken.None);

        var lines = (await ReadToEndAsync(workload)).Select(l => l.Text).ToList();

        Assert.Equal(0, await workload.Exited);
        Assert.Contains("CapEff:\t0000000000000000", lines);
        Assert.Contains("CapBnd:\t0000000000000000", lines);
        Assert.Contains("NoNewPrivs:\t1", lines);
        Assert.Contains("net: lo", lines);
    }

    [DockerFact]
    public async Task Container_OverItsMemoryLimit_IsKilledWithTheLimitAsReason()
    {
        var runtime = Runtime();
        await using var workload = await runtime.StartAsync(
            new WorkloadSpec("lease-oom", [Image, "sh", "-c", "x=a; while true; do x=\"$x$x\"; done"], []) { MemoryMib = 16 }, CancellationToken.None);

        await ReadToEndAsync(workload);

        Assert.Equal(137, await workload.Exited);
        Assert.Equal(new WorkloadKill(LeaseReport.Types.KillCause.MemoryLimit, "memory limit of 16 MiB exceeded"), workload.KilledBecause);
    }

    [DockerFact]
    public async Task Start_ImageThatCannotBePulled_FailsWithTheEnginesReasonAndLeavesNothing()
    {
        var runtime = Runtime();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            runtime.StartAsync(new WorkloadSpec("lease-absent", ["gpunet-test/absent:1", "true"], []), CancellationToken.None));

        // Offline the engine cannot resolve the registry; online the repository does not exist: either way it says so.
        Assert.StartsWith("could not start image 'docker.io/gpunet-test/absent:1': ", e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Length > "could not start image 'docker.io/gpunet-test/absent:1': ".Length);
        using var client = new DockerClientConfiguration(runtime.Endpoint).CreateClient();
        var left = await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { ["gpunet.lease=lease-absent"] = true } },
        });
        Assert.Empty(left);
    }

    [DockerFact]
    public async Task AgentRestart_ContainersItsEarlierRunLeft_AreRemovedBeforeItsFirstStart_OthersAgentsKept()
    {
        // An agent killed with a lease running leaves its container behind; another agent on the engine has one too.
        var root = ProcessProbe.Root();
        var killed = new DockerRuntime(root, TimeProvider.System);
        var orphan = await killed.StartAsync(new WorkloadSpec("lease-orphan", [Image, "sleep", "300"], []), CancellationToken.None);
        var neighbour = Runtime();
        await using var kept = await neighbour.StartAsync(new WorkloadSpec("lease-neighbour", [Image, "sleep", "300"], []), CancellationToken.None);
        using var client = new DockerClientConfiguration(killed.Endpoint).CreateClient();

        // The agent starts again in the same work directory and runs a lease.
        var restarted = new DockerRuntime(root, TimeProvider.System);
        await using (var next = await restarted.StartAsync(new WorkloadSpec("lease-next", [Image, "true"], []), CancellationToken.None))
            Assert.Equal(0, await next.Exited);

        Assert.Empty(await ContainersAsync(client, "gpunet.lease=lease-orphan"));
        Assert.Single(await ContainersAsync(client, "gpunet.lease=lease-neighbour"));
        await Task.WhenAny(orphan.Exited, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.True(orphan.Exited.IsCompleted, "the orphan's workload saw its container end");
        await orphan.DisposeAsync();
        await kept.KillAsync(WorkloadKill.Stop("test over"));
    }

    private static Task<IList<ContainerListResponse>> ContainersAsync(DockerClient client, string label) =>
        client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } },
        });

    [DockerFact]
    public async Task Kill_StopsAndRemovesTheContainer()
    {
        var runtime = Runtime();
        var workload = await runtime.StartAsync(new WorkloadSpec("lease-dkill", [Image, "sleep", "30"], []), CancellationToken.None);
        using var client = new DockerClientConfiguration(runtime.Endpoint).CreateClient();
        var running = await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { ["gpunet.lease=lease-dkill"] = true } },
        });
        Assert.Single(running);

        await workload.KillAsync(WorkloadKill.Stop("lease cancelled"));

        Assert.Equal(WorkloadKill.Stop("lease cancelled"), workload.KilledBecause);
        await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => client.Containers.InspectContainerAsync(running[0].ID));
        await workload.DisposeAsync();
    }

    [DockerFact]
    public async Task ServicePort_PublishedOnHostPortsFromTheRange_OnePerLease_ReturnedAtTheEnd()
    {
        var runtime = Runtime(new DockerRuntimeOptions { Ports = new LeasePortRange(29400, 29401) });
        WorkloadSpec Service(string lease) => new(lease, [Image, "sh", "-c", "while true; do echo hello from $GPUNET_LEASE_ID on $GPUNET_HOST_PORT | nc -l -p 8080; done"], []) { Port = 8080 };

        var first = await runtime.StartAsync(Service("lease-pa"), CancellationToken.None);
        var second = await runtime.StartAsync(Service("lease-pb"), CancellationToken.None);
        IRunningWorkload? third = null;
        try
        {
            Assert.Equal("[gpunet: port 8080 published on host port 29400]", (await first.Lines.ReadAsync()).Text);
            Assert.Equal("[gpunet: port 8080 published on host port 29401]", (await second.Lines.ReadAsync()).Text);
            Assert.Equal("hello from lease-pa on 29400", await GreetingAsync(29400));
            Assert.Equal("hello from lease-pb on 29401", await GreetingAsync(29401));
            var full = await Assert.ThrowsAsync<InvalidOperationException>(() => runtime.StartAsync(Service("lease-pc"), CancellationToken.None));
            Assert.Equal("no free host port in 29400-29401 to publish port 8080 on", full.Message);

            await first.KillAsync(WorkloadKill.Stop("lease ended"));
            await first.DisposeAsync();
            third = await runtime.StartAsync(Service("lease-pd"), CancellationToken.None);

            Assert.Equal("[gpunet: port 8080 published on host port 29400]", (await third.Lines.ReadAsync()).Text);
            Assert.Equal("hello from lease-pd on 29400", await GreetingAsync(29400));
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
            if (third is not null)
                await third.DisposeAsync();
        }
    }

    /// <summary>The first line a service on a host port answers with; tries again until it listens.</summary>
    private static async Task<string> GreetingAsync(int hostPort)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", hostPort, deadline.Token);
                using var reader = new StreamReader(tcp.GetStream());
                // The engine's proxy accepts before the container listens, then closes without a word.
                if (await reader.ReadLineAsync(deadline.Token) is { Length: > 0 } line)
                    return line;
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
            }

            await Task.Delay(100, deadline.Token);
        }
    }
}

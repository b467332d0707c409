using Docker.DotNet;
using Docker.DotNet.Models;
using Gpunet.Agent.Workloads;

namespace Gpunet.IntegrationTests.Agent.Workloads;

/// <summary>The Docker runtime: what it asks the engine for, what it says without one, and (where an engine answers)
/// real containers.</summary>
public sealed class DockerRuntimeTests
{
    private static readonly Uri Nowhere = new("unix:///nonexistent/docker.sock");

    [Fact]
    public async Task WithoutEngine_IsUnavailableWithTheReason_AndStartSaysSo()
    {
        var runtime = new DockerRuntime(ProcessProbe.Root(), TimeProvider.System, Nowhere);

        Assert.False(runtime.IsAvailable(out var reason));
        Assert.Equal("no Docker Engine at unix:///nonexistent/docker.sock", reason);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            runtime.StartAsync(new WorkloadSpec("lease-d", ["busybox", "true"], []), CancellationToken.None));
        Assert.Equal(reason, e.Message);
    }

    [Fact]
    public void Parameters_CarryGpusLimitsPortLabelAndEnvironment()
    {
        var spec = new WorkloadSpec("lease-p", ["vllm/vllm-openai:latest", "--model", "m"], [1, 3], new Dictionary<string, string> { ["HF_HOME"] = "/cache" })
        {
            CpuMilli = 2500,
            MemoryMib = 4096,
            Port = 8000,
        };

        var p = DockerRuntime.Parameters(spec);

        Assert.Equal("vllm/vllm-openai:latest", p.Image);
        Assert.Equal(["--model", "m"], p.Cmd);
        Assert.Equal("lease-p", p.Labels["gpunet.lease"]);
        Assert.Contains("HF_HOME=/cache", p.Env);
        Assert.Contains("CUDA_VISIBLE_DEVICES=1,3", p.Env);
        Assert.Contains("NVIDIA_VISIBLE_DEVICES=1,3", p.Env);
        Assert.Contains("GPUNET_LEASE_ID=lease-p", p.Env);
        var gpus = Assert.Single(p.HostConfig.DeviceRequests);
        Assert.Equal("nvidia", gpus.Driver);
        Assert.Equal(["1", "3"], gpus.DeviceIDs);
        Assert.Equal(["gpu"], Assert.Single(gpus.Capabilities));
        Assert.Equal(2_500_000_000L, p.HostConfig.NanoCPUs);
        Assert.Equal(4096L * 1024 * 1024, p.HostConfig.Memory);
        Assert.Contains("8000/tcp", p.ExposedPorts.Keys);
        Assert.Equal("8000", Assert.Single(p.HostConfig.PortBindings["8000/tcp"]).HostPort);
    }

    [Fact]
    public void Parameters_WithoutGpusOrLimits_AskForNone()
    {
        var p = DockerRuntime.Parameters(new WorkloadSpec("lease-q", ["busybox"], []));
        Assert.Null(p.Cmd);
        Assert.Null(p.HostConfig.DeviceRequests);
        Assert.Equal(0L, p.HostConfig.NanoCPUs);
        Assert.Equal(0L, p.HostConfig.Memory);
        Assert.Null(p.HostConfig.PortBindings);
        Assert.Contains("NVIDIA_VISIBLE_DEVICES=none", p.Env);
    }

    [DockerFact]
    public async Task Container_WritesAndExits_LinesLogAndExitCodeAreKept()
    {
        var runtime = new DockerRuntime(ProcessProbe.Root(), TimeProvider.System);
        await using var workload = await runtime.StartAsync(
            new WorkloadSpec("lease-dk", ["busybox", "sh", "-c", "echo hello $GPUNET_LEASE_ID; echo oops >&2; exit 3"], []), CancellationToken.None);

        var lines = new List<WorkloadLogLine>();
        await foreach (var line in workload.Lines.ReadAllAsync())
            lines.Add(line);

        Assert.Equal(3, await workload.Exited);
        Assert.Contains(lines, l => l is { Stream: "stdout", Text: "hello lease-dk" });
        Assert.Contains(lines, l => l is { Stream: "stderr", Text: "oops" });
    }

    [DockerFact]
    public async Task Kill_StopsAndRemovesTheContainer()
    {
        var runtime = new DockerRuntime(ProcessProbe.Root(), TimeProvider.System);
        var workload = await runtime.StartAsync(new WorkloadSpec("lease-dkill", ["busybox", "sleep", "30"], []), CancellationToken.None);
        using var client = new DockerClientConfiguration(runtime.Endpoint).CreateClient();
        var running = await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { ["gpunet.lease=lease-dkill"] = true } },
        });
        Assert.Single(running);

        await workload.KillAsync("lease cancelled");

        Assert.Equal("lease cancelled", workload.KilledBecause);
        await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => client.Containers.InspectContainerAsync(running[0].ID));
        await workload.DisposeAsync();
    }
}

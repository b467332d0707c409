using Gpunet.Agent;
using Gpunet.Agent.Discovery;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gpunet.IntegrationTests.Hosts;

/// <summary>The agent's real discovery path: it runs an nvidia-smi program as a child process. There is no GPU here,
/// so the program is a script that prints what a real 4×A100 machine printed (one card's counters unreadable, as in a
/// container without the right to them).</summary>
public sealed class NvidiaSmiAgentTests
{
    private const string QueryOutput = """
        0, GPU-513536b6-7d19-9063-b049-1e69664bb298, NVIDIA A100-SXM4-80GB, 81920, 13, [N/A], 41, 535.216.01, 00000000:07:00.0
        1, GPU-d8594bd4-0fc3-8595-e355-7c98138f3b95, NVIDIA A100-SXM4-80GB, 81920, 4, 0, 36, 535.216.01, 00000000:0F:00.0
        2, GPU-5e375e7e-b41f-155b-dcdc-534524c356fc, NVIDIA A100-SXM4-80GB, 81920, [Insufficient Permissions], 0, [Insufficient Permissions], 535.216.01, 00000000:47:00.0
        3, GPU-69ec2344-ebac-b028-f88f-452abb3d7f11, NVIDIA A100-SXM4-80GB, 81920, 4, 87, 37, 535.216.01, 00000000:4E:00.0
        """;

    private const string Banner = """
        +---------------------------------------------------------------------------------------+
        | NVIDIA-SMI 535.216.01             Driver Version: 535.216.01   CUDA Version: 12.2     |
        |-----------------------------------------+----------------------+----------------------+
        """;

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static string FakeNvidiaSmi()
    {
        var dir = Directory.CreateTempSubdirectory("fake-smi-").FullName;
        File.WriteAllText(Path.Combine(dir, "query.csv"), QueryOutput + "\n");
        File.WriteAllText(Path.Combine(dir, "banner.txt"), Banner + "\n");
        var script = Path.Combine(dir, "nvidia-smi");
        File.WriteAllText(script, $"""
            #!/bin/sh
            case "$1" in
              --query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu,temperature.gpu,driver_version,pci.bus_id) cat '{dir}/query.csv' ;;
              --query-gpu=*) echo "unexpected query $1" >&2; exit 2 ;;
              *) cat '{dir}/banner.txt' ;;
            esac
            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    private static HostAgent Agent(string url, Wallet wallet, string nvidiaSmi) => new(new AgentOptions
    {
        Coordinator = new Uri(url),
        Country = "US",
        Region = "Oregon",
        NvidiaSmi = nvidiaSmi,
    }, wallet, new NvidiaSmiGpuSource(nvidiaSmi), TimeProvider.System, NullLogger.Instance);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Agent_WithNvidiaSmi_RegistersTheDiscoveredGpus()
    {
        await using var c = await TestCoordinator.StartAsync();
        var wallet = Wallet.Create();
        await using var agent = TestAgent.Wrap(Agent(c.ApiUrl, wallet, FakeNvidiaSmi()), wallet);
        var id = await agent.HostIdAsync();
        var host = await Eventually.Async(() => c.HostAsync(id), h => h.State == "Ready" && h.Gpus[0].MemoryUsedMib is not null, "GPU status");

        Assert.False(host.Simulated);
        Assert.Equal("535.216.01", host.DriverVersion);
        Assert.Equal("12.2", host.CudaVersion);
        Assert.Equal(["GPU-513536b6-7d19-9063-b049-1e69664bb298", "GPU-d8594bd4-0fc3-8595-e355-7c98138f3b95",
            "GPU-5e375e7e-b41f-155b-dcdc-534524c356fc", "GPU-69ec2344-ebac-b028-f88f-452abb3d7f11"], host.Gpus.Select(g => g.Uuid).ToArray());
        Assert.All(host.Gpus, g => Assert.Equal("A100-SXM4-80GB", g.Model));
        Assert.Null(host.Gpus[0].UtilizationPct); // [N/A] (MIG) stays unknown, not 0
        Assert.Equal(87, host.Gpus[3].UtilizationPct);
        Assert.Equal(41, host.Gpus[0].TemperatureC);
        // A card whose counters nvidia-smi could not read is registered; what it could not read is unknown, not 0 or -1.
        Assert.Equal((null, 0, null), (host.Gpus[2].MemoryUsedMib, host.Gpus[2].UtilizationPct, host.Gpus[2].TemperatureC));
        Assert.Equal(13, host.Gpus[0].MemoryUsedMib);
    }

    [Fact]
    public async Task Agent_WithoutNvidiaSmi_StopsSayingHowToSimulate()
    {
        await using var c = await TestCoordinator.StartAsync();
        using var agent = Agent(c.ApiUrl, Wallet.Create(), "/nonexistent/nvidia-smi");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => agent.RunAsync(CancellationToken.None));
        Assert.Contains("--simulate", e.Message, StringComparison.Ordinal);
        Assert.Empty(await c.HostsAsync());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Agent_WhoseNvidiaSmiFindsNoDevice_StopsWithWhatNvidiaSmiSaid()
    {
        // nvidia-smi on a machine with the driver and no GPU prints its reason on stdout and exits 6.
        var script = Path.Combine(Directory.CreateTempSubdirectory("fake-smi-").FullName, "nvidia-smi");
        File.WriteAllText(script, "#!/bin/sh\necho 'No devices were found'\nexit 6\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var c = await TestCoordinator.StartAsync();
        using var agent = Agent(c.ApiUrl, Wallet.Create(), script);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => agent.RunAsync(CancellationToken.None));

        Assert.Contains("exited with 6: No devices were found", e.Message, StringComparison.Ordinal);
        Assert.Contains("--simulate", e.Message, StringComparison.Ordinal);
        Assert.Empty(await c.HostsAsync());
    }
}

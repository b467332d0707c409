using Gpunet.Agent;
using Gpunet.Agent.Discovery;
using Gpunet.Coordinator.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Protocol;

namespace Gpunet.IntegrationTests.Agent;

/// <summary>What an agent tells the coordinator about its machine.</summary>
public sealed class HostDescriptionsTests
{
    private const string Mac = "0a:1b:2c:3d:4e:5f";
    private const string Cpu = "AMD EPYC 9654 96-Core Processor";

    private static AgentOptions Options(string country = "de", string? hostname = "box-1") => new()
    {
        Coordinator = new Uri("http://127.0.0.1:7071"),
        Country = country,
        Region = "Hesse",
        Latitude = 50.11,
        Longitude = 8.68,
        PublicIp = "203.0.113.7",
        PriceUsdPerGpuHour = 2.25,
        Hostname = hostname,
    };

    private static async Task<(GpuInventory Inventory, HostDescription Description)> BuildAsync(AgentOptions options, params string[] specs)
    {
        var inventory = await SimulatedGpuSource.FromSpecs(specs, "seed").ReadAsync(CancellationToken.None);
        return (inventory, HostDescriptions.Build(options, inventory, Mac, Cpu));
    }

    [Fact]
    public async Task Build_Options_CopiesLocationPriceAndHostname()
    {
        var (_, d) = await BuildAsync(Options(), "H100:2");
        Assert.Equal("box-1", d.Hostname);
        Assert.Equal("Hesse", d.Region);
        Assert.Equal(50.11, d.Latitude);
        Assert.Equal(8.68, d.Longitude);
        Assert.Equal("203.0.113.7", d.PublicIp);
        Assert.Equal(2.25, d.PriceUsdPerGpuHour);
        Assert.Equal(Cpu, d.CpuModel);
    }

    [Fact]
    public async Task Build_LowerCaseCountry_UpperCased()
    {
        var (_, d) = await BuildAsync(Options(country: "de"), "H100:2");
        Assert.Equal("DE", d.Country);
    }

    [Fact]
    public async Task Build_NoHostname_MachineName()
    {
        var (_, d) = await BuildAsync(Options(hostname: null), "H100:2");
        Assert.Equal(Environment.MachineName, d.Hostname);
    }

    [Fact]
    public async Task Build_SimulatedH100s_ListsGpusWithCanonicalModel()
    {
        var (inventory, d) = await BuildAsync(Options(), "H100:2");
        Assert.Equal(2, d.Gpus.Count);
        Assert.Equal([0, 1], d.Gpus.Select(g => g.Index));
        Assert.All(d.Gpus, g =>
        {
            Assert.Equal("H100-SXM5-80GB", g.Model);
            Assert.Equal("NVIDIA H100 80GB HBM3", g.SmiName);
            Assert.Equal(81559, g.MemoryTotalMib);
            Assert.StartsWith("GPU-", g.Uuid, StringComparison.Ordinal);
        });
        Assert.Equal(inventory.Gpus.Select(g => g.Uuid), d.Gpus.Select(g => g.Uuid));
        Assert.Equal(inventory.Gpus.Select(g => g.PciBusId), d.Gpus.Select(g => g.PciBusId));
        Assert.Equal(2, d.Gpus.Select(g => g.Uuid).Distinct(StringComparer.Ordinal).Count());
        Assert.True(d.Simulated);
        Assert.Equal(SimulatedGpuSource.DriverVersion, d.DriverVersion);
        Assert.Equal(SimulatedGpuSource.CudaVersion, d.CudaVersion);
    }

    [Fact]
    public async Task Build_SeveralModels_EachWithItsCanonicalName()
    {
        var (_, d) = await BuildAsync(Options(), "A100:1", "RTX-4090-24GB:2");
        Assert.Equal(["A100-SXM4-80GB", "RTX-4090-24GB", "RTX-4090-24GB"], d.Gpus.Select(g => g.Model));
    }

    [Fact]
    public async Task Build_Any_FingerprintOverMacCpuAndGpuUuidsThatTheCoordinatorCanRecompute()
    {
        var (inventory, d) = await BuildAsync(Options(), "H100:2");
        Assert.Equal(HostFingerprint.Compute(Mac, Cpu, inventory.Gpus.Select(g => g.Uuid)), d.Fingerprint);
        Assert.Equal([Mac], d.NicMacs);
        Assert.Equal(Cpu, d.CpuModel);
        Assert.Null(HostFingerprint.Mismatch(d.Fingerprint, d.NicMacs, d.CpuModel, d.Gpus.Select(g => g.Uuid)));
    }

    [Fact]
    public async Task Build_SameSeed_SameFingerprint()
    {
        var (_, first) = await BuildAsync(Options(), "H100:2");
        var (_, second) = await BuildAsync(Options(), "H100:2");
        Assert.Equal(first.Fingerprint, second.Fingerprint);
    }

    [Fact]
    public async Task Build_Any_ThisMachinesCpuAndMemory()
    {
        var (_, d) = await BuildAsync(Options(), "H100:2");
        Assert.Equal(Environment.ProcessorCount, d.CpuCores);
        Assert.True(d.MemoryMb > 0);
    }

    [Fact]
    public async Task Build_Result_PassesCoordinatorValidation()
    {
        var (_, d) = await BuildAsync(Options(), "H100:8", "L4:4");
        Assert.Empty(HostDescriptionValidator.Validate(d));
    }
}

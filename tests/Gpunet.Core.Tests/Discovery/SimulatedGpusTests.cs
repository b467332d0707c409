using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Discovery;
using Gpunet.Core.Gpus;

namespace Gpunet.Core.Tests.Discovery;

public class SimulatedGpusTests
{
    private static readonly SimulatedGpuSpec[] MixedBox =
        [SimulatedGpuSpec.Parse("H100-SXM5-80GB:8"), SimulatedGpuSpec.Parse("L4:2"), SimulatedGpuSpec.Parse("T4")];

    [Fact]
    public void RenderQueryCsv_ThenParse_GivesTheSimulatedModelsAndCounts()
    {
        var gpus = NvidiaSmiParser.ParseQueryCsv(SimulatedGpus.RenderQueryCsv(MixedBox, "host-a"));

        Assert.Equal(Enumerable.Range(0, 11), gpus.Select(g => g.Index));
        Assert.Equal(8, gpus.Count(g => g.Model?.Name == "H100-SXM5-80GB"));
        Assert.Equal(2, gpus.Count(g => g.Model?.Name == "L4-24GB"));
        Assert.Equal("T4-16GB", gpus[10].Model?.Name);
        Assert.All(gpus, g => Assert.Equal("550.54.15", g.DriverVersion));
        Assert.All(gpus, g => Assert.Equal(0, g.UtilizationPct));
        Assert.All(gpus, g => Assert.InRange(g.TemperatureC ?? -1, 25, 45));
        Assert.Equal(11, gpus.Select(g => g.PciBusId).Distinct().Count());
        Assert.Equal(11, gpus.Select(g => g.Uuid).Distinct().Count());
    }

    [Fact]
    public void RenderQueryCsv_H100_LooksLikeRealNvidiaSmi()
    {
        var csv = SimulatedGpus.RenderQueryCsv([SimulatedGpuSpec.Parse("H100:1")], "host-a");

        Assert.Matches(
            @"^0, GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}, NVIDIA H100 80GB HBM3, 81559, 0, 0, \d+, 550\.54\.15, 00000000:18:00\.0\n$",
            csv);
    }

    [Fact]
    public void RenderQueryCsv_SameSeed_SameUuids()
    {
        var first = NvidiaSmiParser.ParseQueryCsv(SimulatedGpus.RenderQueryCsv(MixedBox, "host-a"));
        var again = NvidiaSmiParser.ParseQueryCsv(SimulatedGpus.RenderQueryCsv(MixedBox, "host-a"));

        Assert.Equal(first, again);
    }

    [Fact]
    public void RenderQueryCsv_OtherSeed_OtherUuids()
    {
        var a = NvidiaSmiParser.ParseQueryCsv(SimulatedGpus.RenderQueryCsv(MixedBox, "host-a")).Select(g => g.Uuid);
        var b = NvidiaSmiParser.ParseQueryCsv(SimulatedGpus.RenderQueryCsv(MixedBox, "host-b")).Select(g => g.Uuid);

        Assert.Empty(a.Intersect(b));
    }

    [Fact]
    public void RenderQueryCsv_DriverVersion_IsReported()
    {
        var gpus = NvidiaSmiParser.ParseQueryCsv(SimulatedGpus.RenderQueryCsv(MixedBox, "host-a", "535.129.03"));

        Assert.All(gpus, g => Assert.Equal("535.129.03", g.DriverVersion));
    }

    [Fact]
    public void RenderQueryCsv_NoSpecs_IsEmpty()
    {
        Assert.Equal("", SimulatedGpus.RenderQueryCsv([], "host-a"));
    }

    [Property]
    public Property RenderQueryCsv_AnyCatalogModelAndCount_ParsesBackToThatModel(NonNegativeInt modelPick, PositiveInt countPick, string seed)
    {
        var model = GpuCatalog.All[modelPick.Get % GpuCatalog.All.Count];
        var count = 1 + ((countPick.Get - 1) % SimulatedGpuSpec.MaxCount);
        var gpus = NvidiaSmiParser.ParseQueryCsv(
            SimulatedGpus.RenderQueryCsv([new SimulatedGpuSpec(model, count)], seed ?? ""));

        return (gpus.Count == count && gpus.All(g => g.Model == model)).Label($"{model.Name} x{count}");
    }
}

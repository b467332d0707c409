using Gpunet.Core.Discovery;

namespace Gpunet.Core.Tests.Discovery;

public class NvidiaSmiParserTests
{
    [Fact]
    public void ParseQueryCsv_HgxH100Box_GivesEightH100Sxm5InOrder()
    {
        var gpus = NvidiaSmiParser.ParseQueryCsv(SmiSamples.Read("h100-8x-hgx.txt"));

        Assert.Equal(8, gpus.Count);
        Assert.Equal(Enumerable.Range(0, 8), gpus.Select(g => g.Index));
        Assert.All(gpus, g => Assert.Equal("H100-SXM5-80GB", g.Model?.Name));
        Assert.All(gpus, g => Assert.Equal(81559, g.MemoryTotalMiB));
        Assert.Equal(8, gpus.Select(g => g.Uuid).Distinct().Count());
        var first = gpus[0];
        Assert.Equal("GPU-c08d91cb-e324-655c-71ba-7570956445bc", first.Uuid);
        Assert.Equal("NVIDIA H100 80GB HBM3", first.Name);
        Assert.Equal(0, first.MemoryUsedMiB);
        Assert.Equal(0, first.UtilizationPct);
        Assert.Equal(28, first.TemperatureC);
        Assert.Equal("550.54.15", first.DriverVersion);
        Assert.Equal("00000000:18:00.0", first.PciBusId);
        Assert.Equal("00000000:2A:00.0", gpus[1].PciBusId);
    }

    /// <summary>Captured on a real H100 machine (driver 580) on 2026-11-25 with the agent's own query.</summary>
    [Fact]
    public void ParseQueryCsv_RealH100Capture_IsOneH100Sxm5()
    {
        var gpu = Assert.Single(NvidiaSmiParser.ParseQueryCsv(SmiSamples.Read("h100-1x-lent-2026-11-25.txt")));
        Assert.Equal("H100-SXM5-80GB", gpu.Model?.Name);
        Assert.Equal("NVIDIA H100 80GB HBM3", gpu.Name);
        Assert.Equal("GPU-35cce4f5-3520-ba76-88d1-714ec46dc6fd", gpu.Uuid);
        Assert.Equal(81559, gpu.MemoryTotalMiB);
        Assert.Equal("580.159.04", gpu.DriverVersion);
        Assert.Equal("00000000:00:06.0", gpu.PciBusId);
    }

    [Fact]
    public void ParseQueryCsv_A100BoxWithMigOnGpu0_GivesNullUtilisationForThatGpuOnly()
    {
        var gpus = NvidiaSmiParser.ParseQueryCsv(SmiSamples.Read("a100-4x-sxm4-mig.txt"));

        Assert.Equal(4, gpus.Count);
        Assert.All(gpus, g => Assert.Equal("A100-SXM4-80GB", g.Model?.Name));
        Assert.Null(gpus[0].UtilizationPct);
        Assert.Equal(41, gpus[0].TemperatureC);
        Assert.All(gpus.Skip(1), g => Assert.Equal(0, g.UtilizationPct));
        Assert.Equal("GPU-d8594bd4-0fc3-8595-e355-7c98138f3b95", gpus[1].Uuid);
        Assert.Equal("535.216.01", gpus[3].DriverVersion);
    }

    [Fact]
    public void ParseQueryCsv_BusyA800Box_ReadsLoadFigures()
    {
        var gpus = NvidiaSmiParser.ParseQueryCsv(SmiSamples.Read("a800-2x-busy.txt"));

        Assert.Equal(2, gpus.Count);
        Assert.All(gpus, g => Assert.Equal("A800-SXM4-80GB", g.Model?.Name));
        Assert.Equal((34447L, 72, 49), (gpus[0].MemoryUsedMiB, gpus[0].UtilizationPct, gpus[0].TemperatureC));
        Assert.Equal((34639L, 68, 42), (gpus[1].MemoryUsedMiB, gpus[1].UtilizationPct, gpus[1].TemperatureC));
        Assert.Equal("00000000:27:00.0", gpus[0].PciBusId);
    }

    [Fact]
    public void ParseQueryCsv_MigEnabledA800_UtilisationNotAvailableIsNull()
    {
        var gpu = Assert.Single(NvidiaSmiParser.ParseQueryCsv(SmiSamples.Read("a800-mig-na.txt")));

        Assert.Null(gpu.UtilizationPct);
        Assert.Equal(33, gpu.TemperatureC);
        Assert.Equal(36537, gpu.MemoryUsedMiB);
        Assert.Equal("A800-SXM4-80GB", gpu.Model?.Name);
    }

    [Fact]
    public void ParseQueryCsv_NotSupportedUtilisation_IsNull()
    {
        var gpu = Assert.Single(NvidiaSmiParser.ParseQueryCsv(SmiSamples.Read("gtx770-not-supported.txt")));

        Assert.Null(gpu.UtilizationPct);
        Assert.Equal(52, gpu.TemperatureC);
        Assert.Equal("GeForce GTX 770", gpu.Name);
        Assert.Null(gpu.Model);
    }

    [Fact]
    public void ParseQueryCsv_RtxWorkstation_RecognisesRtx4090()
    {
        var gpu = Assert.Single(NvidiaSmiParser.ParseQueryCsv(SmiSamples.Read("rtx4090.txt")));

        Assert.Equal("RTX-4090-24GB", gpu.Model?.Name);
        Assert.Equal(24564, gpu.MemoryTotalMiB);
        Assert.Equal("580.105.08", gpu.DriverVersion);
    }

    [Fact]
    public void ParseQueryCsv_OldDriverNameWithoutVendorPrefix_ParsesWithUnknownModel()
    {
        var gpu = Assert.Single(NvidiaSmiParser.ParseQueryCsv(SmiSamples.Read("rtx2080-old-driver.txt")));

        Assert.Equal("GeForce RTX 2080", gpu.Name);
        Assert.Null(gpu.Model);
        Assert.Equal((7979L, 86, 45), (gpu.MemoryTotalMiB, gpu.UtilizationPct, gpu.TemperatureC));
        Assert.Equal("00000000:0A:00.0", gpu.PciBusId);
    }

    [Theory]
    [InlineData("[Insufficient Permissions]")]
    [InlineData("[Unknown Error]")]
    [InlineData("[N/A]")]
    [InlineData("Not Supported")]
    public void ParseQueryCsv_StatusInsteadOfLoadFigures_FindsTheCardWithoutThem(string status)
    {
        // A container without the right to read the card's counters, or a driver that cannot: the card is still found.
        var gpu = Assert.Single(NvidiaSmiParser.ParseQueryCsv(
            $"0, GPU-5e375e7e-b41f-155b-dcdc-534524c356fc, NVIDIA H100 80GB HBM3, 81559, {status}, {status}, {status}, 550.54.15, 00000000:18:00.0"));

        Assert.Equal("H100-SXM5-80GB", gpu.Model?.Name);
        Assert.Equal((81559L, null, null, null), (gpu.MemoryTotalMiB, gpu.MemoryUsedMiB, gpu.UtilizationPct, gpu.TemperatureC));
    }

    [Fact]
    public void ParseQueryCsv_StatusInsteadOfTheMemoryTotal_IsRefusedNamingTheField()
    {
        var e = Assert.Throws<NvidiaSmiFormatException>(() => NvidiaSmiParser.ParseQueryCsv(
            "0, GPU-5e375e7e-b41f-155b-dcdc-534524c356fc, NVIDIA H100 80GB HBM3, [GPU requires reset], 0, 0, 30, 550.54.15, 00000000:18:00.0"));

        Assert.Contains("memory.total", e.Message, StringComparison.Ordinal);
        Assert.Contains("[GPU requires reset]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseQueryCsv_MixedBoxWithHeaderAndUnits_SkipsHeaderAndStripsUnits()
    {
        var gpus = NvidiaSmiParser.ParseQueryCsv(SmiSamples.Read("mixed-rtx4080super-rtx3090-units.txt"));

        Assert.Equal(2, gpus.Count);
        Assert.Equal("NVIDIA GeForce RTX 4080 SUPER", gpus[0].Name);
        Assert.Null(gpus[0].Model); // the SUPER is its own product, not an RTX 4080
        Assert.Equal((16376L, 1120L, 3), (gpus[0].MemoryTotalMiB, gpus[0].MemoryUsedMiB, gpus[0].UtilizationPct));
        Assert.Equal("RTX-3090-24GB", gpus[1].Model?.Name);
        Assert.Equal(24576, gpus[1].MemoryTotalMiB);
        Assert.Equal("GPU-358353dd-5933-1dc6-ac0d-e1189b063e4c", gpus[1].Uuid);
    }

    [Fact]
    public void ParseQueryCsv_VgpuProfile_ParsesButIsNotACatalogModel()
    {
        var gpus = NvidiaSmiParser.ParseQueryCsv(SmiSamples.Read("h200-vgpu-units.txt"));

        Assert.Equal(4, gpus.Count);
        Assert.All(gpus, g => Assert.Null(g.Model));
        Assert.All(gpus, g => Assert.Equal(144384, g.MemoryTotalMiB));
        Assert.All(gpus, g => Assert.Null(g.UtilizationPct));
        Assert.All(gpus, g => Assert.Null(g.TemperatureC));
        Assert.Equal(131470, gpus[1].MemoryUsedMiB);
    }

    [Fact]
    public void ParseQueryCsv_BlankLinesAndCrLf_AreIgnored()
    {
        const string csv = "\r\n0, GPU-a1, NVIDIA L4, 23034, 0, 0, 30, 550.54.15, 00000000:01:00.0\r\n\r\n" +
                           "  \n1, GPU-b2, NVIDIA L4, 23034, 0, 0, 31, 550.54.15, 00000000:02:00.0\r\n";

        var gpus = NvidiaSmiParser.ParseQueryCsv(csv);

        Assert.Equal(["GPU-a1", "GPU-b2"], gpus.Select(g => g.Uuid));
        Assert.All(gpus, g => Assert.Equal("L4-24GB", g.Model?.Name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("index, uuid, name, memory.total [MiB], memory.used [MiB], utilization.gpu [%], temperature.gpu, driver_version, pci.bus_id\n")]
    public void ParseQueryCsv_NoGpuLines_IsEmpty(string csv)
    {
        Assert.Empty(NvidiaSmiParser.ParseQueryCsv(csv));
    }

    [Theory]
    [InlineData("0, GPU-a1, NVIDIA L4, 23034, 0, 0, 30, 550.54.15", 1, "line")]
    [InlineData("0, GPU-a1, NVIDIA L4, 23034, 0, 0, 30, 550.54.15, 00000000:01:00.0, extra", 1, "line")]
    [InlineData("x, GPU-a1, NVIDIA L4, 23034, 0, 0, 30, 550.54.15, 00000000:01:00.0", 1, "index")]
    [InlineData("-1, GPU-a1, NVIDIA L4, 23034, 0, 0, 30, 550.54.15, 00000000:01:00.0", 1, "index")]
    [InlineData("0, a1, NVIDIA L4, 23034, 0, 0, 30, 550.54.15, 00000000:01:00.0", 1, "uuid")]
    [InlineData("0, GPU-a1, , 23034, 0, 0, 30, 550.54.15, 00000000:01:00.0", 1, "name")]
    [InlineData("0, GPU-a1, NVIDIA L4, [N/A], 0, 0, 30, 550.54.15, 00000000:01:00.0", 1, "memory.total")]
    [InlineData("0, GPU-a1, NVIDIA L4, 23034, 12.5, 0, 30, 550.54.15, 00000000:01:00.0", 1, "memory.used")]
    [InlineData("0, GPU-a1, NVIDIA L4, 23034, 0, 101, 30, 550.54.15, 00000000:01:00.0", 1, "utilization.gpu")]
    [InlineData("0, GPU-a1, NVIDIA L4, 23034, 0, busy, 30, 550.54.15, 00000000:01:00.0", 1, "utilization.gpu")]
    [InlineData("0, GPU-a1, NVIDIA L4, 23034, 0, 0, hot, 550.54.15, 00000000:01:00.0", 1, "temperature.gpu")]
    [InlineData("0, GPU-a1, NVIDIA L4, 23034, 0, 0, 30, , 00000000:01:00.0", 1, "driver_version")]
    [InlineData("0, GPU-a1, NVIDIA L4, 23034, 0, 0, 30, 550.54.15, [N/A]", 1, "pci.bus_id")]
    [InlineData("\n0, GPU-a1, NVIDIA L4, 23034, 0, 0, 30, 550.54.15, 00000000:01:00.0\n\n1, GPU-b2, NVIDIA L4, 23O34, 0, 0, 30, 550.54.15, 00000000:02:00.0", 4, "memory.total")]
    public void ParseQueryCsv_MalformedLine_ThrowsNamingLineAndField(string csv, int line, string field)
    {
        var error = Assert.Throws<NvidiaSmiFormatException>(() => NvidiaSmiParser.ParseQueryCsv(csv));

        Assert.Equal(line, error.LineNumber);
        Assert.Equal(field, error.Field);
        Assert.Contains($"line {line}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    // NVIDIA/nccl#1264, 8x H100 SXM.
    [InlineData("| NVIDIA-SMI 550.54.15              Driver Version: 550.54.15      CUDA Version: 12.4     |", "12.4")]
    // DataDog/datadog-agent#33120, A100-SXM4-80GB.
    [InlineData("| NVIDIA-SMI 535.216.01             Driver Version: 535.216.01   CUDA Version: 12.2     |", "12.2")]
    // nvidia-smi -q (MatthiasSchinzel/sysmon#12).
    [InlineData("Driver Version                            : 450.66\nCUDA Version                              : 11.0", "11.0")]
    public void ParseCudaVersion_Banner_GivesVersion(string output, string expected)
    {
        Assert.Equal(expected, NvidiaSmiParser.ParseCudaVersion(output));
    }

    [Fact]
    public void ParseCudaVersion_WholeTable_FindsVersionInBanner()
    {
        // Header of the table in akash-network/provider-configs#12 (Quadro RTX 4000, driver 535.129.03).
        const string table = """
            Thu Feb 29 14:58:21 2024
            +---------------------------------------------------------------------------------------+
            | NVIDIA-SMI 535.129.03             Driver Version: 535.129.03   CUDA Version: 12.2     |
            |-----------------------------------------+----------------------+----------------------+
            | GPU  Name                 Persistence-M | Bus-Id        Disp.A | Volatile Uncorr. ECC |
            |   0  Quadro RTX 4000                Off | 00000000:06:00.0 Off |                  N/A |
            """;

        Assert.Equal("12.2", NvidiaSmiParser.ParseCudaVersion(table));
    }

    [Theory]
    // 396-era drivers printed no CUDA version in the banner (CFSworks/nvml_fix#11).
    [InlineData("| NVIDIA-SMI 396.24                 Driver Version: 396.24                    |")]
    // nvidia-smi -q on a vGPU host without CUDA (bigstack-oss/cubecos#312).
    [InlineData("CUDA Version                              : Not Found")]
    [InlineData("")]
    public void ParseCudaVersion_NoVersion_IsNull(string output)
    {
        Assert.Null(NvidiaSmiParser.ParseCudaVersion(output));
    }
}

using Gpunet.Core.Scheduling.Traces;

namespace Gpunet.Core.Tests.Scheduling.Traces;

public sealed class AlibabaGpuTraceTests
{
    [Fact]
    public void ParseNodes_NodeList_ReadsEveryColumn()
    {
        var nodes = AlibabaGpuTrace.ParseNodes("sn,cpu_milli,memory_mib,gpu,model\r\nnode-0,64000,262144,2,P100\r\nnode-1,96000,786432,8,V100M32\r\n", "nodes.csv");

        Assert.Equal(2, nodes.Count);
        Assert.Equal(("node-1", 96_000, 786_432, 8, "V100M32"), (nodes[1].Name, nodes[1].CpuMilli, nodes[1].MemoryMib, nodes[1].GpuCount, nodes[1].GpuModel));
    }

    [Fact]
    public void ParsePods_WithTimesAndSpec_ReadsRequestModelsAndTimes()
    {
        const string text = """
            name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
            p0,12000,16384,1,460,V100M16|V100M32,LS,Running,427061,12902960,427061
            p1,6000,12288,0,0,,LS,Running,5,,5
            """;

        var pods = AlibabaGpuTrace.ParsePods(text, "pods.csv");

        Assert.Equal(["V100M16", "V100M32"], pods[0].Request.AcceptableModels);
        Assert.Equal((12_000, 16_384, 1, 460), (pods[0].Request.CpuMilli, pods[0].Request.MemoryMib, pods[0].Request.GpuCount, pods[0].Request.GpuMilli));
        Assert.Equal((427_061L, 12_902_960L), (pods[0].CreationTime, pods[0].DeletionTime));
        Assert.Equal((0, 5L, (long?)null), (pods[1].Request.GpuCount, pods[1].CreationTime, pods[1].DeletionTime));
    }

    [Fact]
    public void ParsePods_WithoutTimeOrSpecColumns_AnyModelNoTimes()
    {
        var pods = AlibabaGpuTrace.ParsePods("name,cpu_milli,memory_mib,num_gpu,gpu_milli\nopenb-pod-0000,12000,16384,8,1000\n", "multigpu.csv");

        Assert.Empty(pods[0].Request.AcceptableModels);
        Assert.Null(pods[0].CreationTime);
        Assert.Equal(8_000, pods[0].Request.TotalGpuMilli);
    }

    [Fact]
    public void ParsePods_BadNumber_NamesFileAndLine()
    {
        var e = Assert.Throws<TraceFormatException>(() =>
            AlibabaGpuTrace.ParsePods("name,cpu_milli,memory_mib,num_gpu,gpu_milli\np0,1,1,1,1000\np1,1,lots,1,1000\n", "pods.csv"));

        Assert.StartsWith("pods.csv:3:", e.Message, StringComparison.Ordinal);
        Assert.Contains("memory_mib", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsePods_FractionOfSeveralGpus_NamesFileAndLine()
    {
        var e = Assert.Throws<TraceFormatException>(() =>
            AlibabaGpuTrace.ParsePods("name,cpu_milli,memory_mib,num_gpu,gpu_milli\np0,1,1,2,500\n", "pods.csv"));

        Assert.StartsWith("pods.csv:2: pod p0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseNodes_MissingColumn_NamesTheColumn()
    {
        var e = Assert.Throws<TraceFormatException>(() => AlibabaGpuTrace.ParseNodes("sn,cpu_milli,memory_mib,gpu\nn,1,1,1\n", "nodes.csv"));

        Assert.Equal("nodes.csv:1: no 'model' column in the header", e.Message);
    }
}

using FsCheck;
using FsCheck.Fluent;
using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Tests.Scheduling;

/// <summary>FsCheck generators of clusters and requests, small enough that every filter outcome comes up.</summary>
internal static class ClusterGen
{
    private static readonly string[] Models = ["A100", "H100", "T4"];

    public static readonly Gen<NodeSpec> Node =
        from gpus in Gen.Elements(0, 1, 2, 4, 8)
        from model in Gen.Elements(Models)
        from cpu in Gen.Choose(0, 32).Select(c => c * 1_000)
        from memory in Gen.Choose(0, 64).Select(m => m * 1_024)
        select new NodeSpec("n", cpu, memory, gpus, gpus == 0 ? "" : model);

    public static readonly Gen<PlacementRequest> Request =
        from kind in Gen.Choose(0, 2)
        from count in Gen.Elements(1, 1, 2, 4, 8)
        from milli in Gen.Elements(100, 250, 500, 600, 999)
        from cpu in Gen.Choose(0, 16).Select(c => c * 1_000)
        from memory in Gen.Choose(0, 32).Select(m => m * 1_024)
        from models in Gen.SubListOf(["A100", "H100", "T4", "V100"])
        select kind switch
        {
            0 => new PlacementRequest(cpu, memory, 0, 0),
            1 => new PlacementRequest(cpu, memory, count, PlacementRequest.WholeGpu, [.. models]),
            _ => new PlacementRequest(cpu, memory, 1, milli, [.. models]),
        };

    /// <summary>The nodes with distinct names (a cluster refuses two of one name).</summary>
    public static NodeSpec[] Named(NodeSpec[] nodes) => [.. nodes.Select((n, i) => n with { Name = $"n{i}" })];

    public static readonly Gen<(NodeSpec[] Nodes, PlacementRequest[] Load, PlacementRequest[] Probes, ulong Seed)> Scenario =
        from nodes in Gen.ArrayOf(Node).Where(n => n.Length > 0).Select(Named)
        from load in Gen.ArrayOf(Request)
        from probes in Gen.ArrayOf(Request)
        from seed in Gen.Choose(0, int.MaxValue).Select(s => (ulong)s)
        select (nodes, load, probes, seed);
}

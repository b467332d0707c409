using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Tests.Scheduling;

/// <summary>Small hand-made clusters and requests for the scheduling tests.</summary>
internal static class Clusters
{
    private static int _nextName;

    /// <summary>A node; without <paramref name="name"/>, a name no other node of the test run has.</summary>
    public static NodeSpec Node(int gpus, string model = "A100", int cpu = 64_000, int memory = 262_144, string? name = null) =>
        new(name ?? $"n{gpus}-{Interlocked.Increment(ref _nextName)}", cpu, memory, gpus, gpus == 0 ? "" : model);

    public static PlacementRequest Whole(int count, int cpu = 1_000, int memory = 1_024, params string[] models) =>
        new(cpu, memory, count, PlacementRequest.WholeGpu, models);

    public static PlacementRequest Fraction(int milli, int cpu = 1_000, int memory = 1_024, params string[] models) =>
        new(cpu, memory, 1, milli, models);

    public static PlacementRequest CpuOnly(int cpu, int memory = 1_024) => new(cpu, memory, 0, 0);

    /// <summary>Everything free on the cluster, node by node, as text that compares exactly.</summary>
    public static string Snapshot(ClusterCapacity c) =>
        string.Join(';', Enumerable.Range(0, c.NodeCount).Select(i =>
            $"{c.FreeCpuMilli(i)}/{c.FreeMemoryMib(i)}/{c.GpuModel(i)}/{string.Join(',', c.GpuFreeMilli(i).ToArray())}"))
        + $"|{c.AllocatedGpuMilli}";

    /// <summary>Chooses and commits; returns the placement or null.</summary>
    public static Placement? Place(this IPlacementPolicy policy, ClusterCapacity cluster, PlacementRequest request)
    {
        var p = policy.Choose(cluster, request);
        if (p is not null)
            cluster.Allocate(p);
        return p;
    }
}

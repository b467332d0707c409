using Gpunet.Core.Scheduling;

namespace Gpunet.Benchmarks;

/// <summary>The request mix and the fill that make the benchmarks' clusters half used.</summary>
internal static class HalfUsedCluster
{
    /// <summary>A mix like the Alibaba traces: mostly single whole GPUs, many fractions, a few 8-GPU tasks.</summary>
    public static PlacementRequest[] Mix { get; } =
    [
        new(4_000, 16_384, 1, 1000), new(4_000, 16_384, 1, 1000), new(2_000, 8_192, 1, 500),
        new(2_000, 8_192, 1, 250), new(8_000, 65_536, 0, 0), new(32_000, 262_144, 8, 1000), new(4_000, 16_384, 2, 1000),
    ];

    /// <summary>Places three requests of the mix per node, at random (seeded), where they fit.</summary>
    public static void Fill(ClusterCapacity cluster)
    {
        var fill = new RandomFitPolicy(7);
        for (var i = 0; i < cluster.NodeCount * 3; i++)
        {
            var p = fill.Choose(cluster, Mix[i % Mix.Length]);
            if (p is not null)
                cluster.Allocate(p);
        }
    }
}

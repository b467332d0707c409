using System.Numerics;

namespace Gpunet.Core.Scheduling;

/// <summary><c>best-fit</c>: the feasible node with the least free resources left after placement (GPU, CPU and
/// memory shares left, summed); within a node, the fullest GPU that still fits a fraction. Ties: lowest index.</summary>
public sealed class BestFitPolicy : IMaskedPlacementPolicy
{
    /// <summary>The policy's name.</summary>
    public const string PolicyName = "best-fit";

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public Placement? Choose(ClusterCapacity cluster, PlacementRequest request, Func<int, bool>? nodeFilter = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(request);
        var mask = cluster.ModelMask(request.AcceptableModels);
        var best = -1;
        var bestScore = double.MaxValue;
        for (var i = 0; i < cluster.NodeCount; i++)
        {
            if (!cluster.Fits(i, request, mask) || (nodeFilter is not null && !nodeFilter(i)))
                continue;
            var score = Score(cluster, i, request);
            if (score < bestScore)
            {
                bestScore = score;
                best = i;
            }
        }

        return Place(cluster, request, best);
    }

    /// <inheritdoc />
    /// <remarks>Only the nodes whose bit is set are looked at, and the filter is asked only of a node that would win.</remarks>
    Placement? IMaskedPlacementPolicy.Choose(ClusterCapacity cluster, PlacementRequest request, ReadOnlySpan<ulong> nodeMask, Func<int, bool>? nodeFilter)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(request);
        var mask = cluster.ModelMask(request.AcceptableModels);
        var best = -1;
        var bestScore = double.MaxValue;
        var words = Math.Min(nodeMask.Length, (cluster.NodeCount + 63) >> 6);
        for (var k = 0; k < words; k++)
        {
            for (var w = nodeMask[k]; w != 0; w &= w - 1)
            {
                var i = (k << 6) + BitOperations.TrailingZeroCount(w);
                if (i >= cluster.NodeCount)
                    break;
                if (!cluster.Fits(i, request, mask))
                    continue;
                var score = Score(cluster, i, request);
                if (score < bestScore && (nodeFilter is null || nodeFilter(i)))
                    (bestScore, best) = (score, i);
            }
        }

        return Place(cluster, request, best);
    }

    /// <summary>Free GPU, CPU and memory shares the node would have left after the request, summed (0 to 3).</summary>
    internal static double Score(ClusterCapacity cluster, int node, PlacementRequest request)
    {
        ref readonly var n = ref cluster.Node(node);
        return Left(n.FreeGpuMilli - request.TotalGpuMilli, n.GpuCount * (long)PlacementRequest.WholeGpu)
            + Left(n.FreeCpuMilli - request.CpuMilli, n.TotalCpuMilli)
            + Left(n.FreeMemoryMib - request.MemoryMib, n.TotalMemoryMib);
    }

    private static Placement? Place(ClusterCapacity cluster, PlacementRequest request, int best)
    {
        if (best < 0)
            return null;
        if (!request.IsFractional)
            return new Placement(best, request, cluster.FirstWholeGpus(best, request));
        var free = cluster.GpuFreeMilli(best);
        var gpu = -1;
        for (var g = 0; g < free.Length; g++)
        {
            if (free[g] >= request.GpuMilli && (gpu < 0 || free[g] < free[gpu]))
                gpu = g;
        }

        return new Placement(best, request, [gpu]);
    }

    private static double Left(long left, long total) => total == 0 ? 0 : (double)left / total;
}

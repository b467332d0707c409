namespace Gpunet.Core.Scheduling;

/// <summary><c>best-fit</c>: the feasible node with the least free resources left after placement (GPU, CPU and
/// memory shares left, summed); within a node, the fullest GPU that still fits a fraction. Ties: lowest index.</summary>
public sealed class BestFitPolicy : IPlacementPolicy
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
            ref readonly var n = ref cluster.Node(i);
            var score = Left(n.FreeGpuMilli - request.TotalGpuMilli, n.GpuCount * (long)PlacementRequest.WholeGpu)
                + Left(n.FreeCpuMilli - request.CpuMilli, n.TotalCpuMilli)
                + Left(n.FreeMemoryMib - request.MemoryMib, n.TotalMemoryMib);
            if (score < bestScore)
            {
                bestScore = score;
                best = i;
            }
        }

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

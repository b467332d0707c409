namespace Gpunet.Core.Scheduling;

/// <summary><c>random-fit</c>: a uniformly random feasible node, and a uniformly random GPU that fits a fraction;
/// whole GPUs are the node's first free ones. Deterministic for a given seed.</summary>
public sealed class RandomFitPolicy(ulong seed) : IPlacementPolicy
{
    /// <summary>The policy's name.</summary>
    public const string PolicyName = "random-fit";

    private SeededRandom _random = new(seed);

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public Placement? Choose(ClusterCapacity cluster, PlacementRequest request, Func<int, bool>? nodeFilter = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(request);
        var mask = cluster.ModelMask(request.AcceptableModels);
        var chosen = -1;
        var seen = 0;
        for (var i = 0; i < cluster.NodeCount; i++)
        {
            if (!cluster.Fits(i, request, mask) || (nodeFilter is not null && !nodeFilter(i)))
                continue;
            // Reservoir sampling: the k-th feasible node replaces the choice with probability 1/k.
            if (_random.NextInt(++seen) == 0)
                chosen = i;
        }

        if (chosen < 0)
            return null;
        if (!request.IsFractional)
            return new Placement(chosen, request, cluster.FirstWholeGpus(chosen, request));
        var free = cluster.GpuFreeMilli(chosen);
        var gpu = -1;
        seen = 0;
        for (var g = 0; g < free.Length; g++)
        {
            if (free[g] >= request.GpuMilli && _random.NextInt(++seen) == 0)
                gpu = g;
        }

        return new Placement(chosen, request, [gpu]);
    }
}

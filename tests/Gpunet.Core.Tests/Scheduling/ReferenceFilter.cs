using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Tests.Scheduling;

/// <summary>The hard filters as a plain loop over strings and GPUs: the oracle for the fast filter.</summary>
internal static class ReferenceFilter
{
    public static bool Fits(ClusterCapacity cluster, int node, PlacementRequest request)
    {
        if (cluster.FreeCpuMilli(node) < request.CpuMilli || cluster.FreeMemoryMib(node) < request.MemoryMib)
            return false;
        if (request.GpuCount == 0)
            return true;
        var model = cluster.GpuModel(node);
        if (model.Length == 0)
            return false;
        if (request.AcceptableModels.Count > 0 && !request.AcceptableModels.Contains(model))
            return false;
        var enough = 0;
        foreach (var free in cluster.GpuFreeMilli(node))
        {
            if (free >= request.GpuMilli)
                enough++;
        }

        return enough >= request.GpuCount;
    }

    /// <summary>Asks the policy; true when it placed only where the reference fits (on GPUs with enough free share)
    /// and returned null only when no node fits.</summary>
    public static bool ChooseAgrees(IPlacementPolicy policy, ClusterCapacity cluster, PlacementRequest request, out Placement? placement)
    {
        var anyFits = Enumerable.Range(0, cluster.NodeCount).Any(i => Fits(cluster, i, request));
        placement = policy.Choose(cluster, request);
        if (placement is null)
            return !anyFits;
        var p = placement;
        return Fits(cluster, p.Node, request) && p.Gpus.Length == request.GpuCount
            && p.Gpus.All(g => cluster.GpuFreeMilli(p.Node)[g] >= request.GpuMilli);
    }
}

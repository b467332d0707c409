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
}

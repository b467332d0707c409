using Gpunet.Coordinator.Storage;
using Gpunet.Core.Scheduling;

namespace Gpunet.Coordinator.Scheduling;

/// <summary>One change of a host's capacity to make durable: the host's free capacity after it, the host version the
/// decision was made against, and the allocation row to insert (a placement) or to delete (a release). Committed, the
/// host's stored version becomes <c>ExpectedVersion + 1</c>.</summary>
internal sealed record PlacementCommit(
    string HostId, long ExpectedVersion, int FreeCpuMilli, int FreeMemoryMib, string FreeGpuMilli, AllocationRecord? Allocation,
    string? ReleasedAllocationId = null)
{
    /// <summary>The allocation placed or released.</summary>
    public string AllocationId => Allocation?.Id ?? ReleasedAllocationId ?? "";

    /// <summary>The commit that gives <paramref name="allocationId"/>'s resources back, read from
    /// <paramref name="cluster"/> after <see cref="ClusterCapacity.Release"/> returned them to <paramref name="node"/>.</summary>
    public static PlacementCommit AfterRelease(ClusterCapacity cluster, int node, long expectedVersion, string allocationId)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return new PlacementCommit(
            cluster.Name(node), expectedVersion, cluster.FreeCpuMilli(node), cluster.FreeMemoryMib(node),
            HostCapacityRecord.FormatGpus(cluster.GpuFreeMilli(node)), null, allocationId);
    }

    /// <summary>The commit for <paramref name="placement"/>, read from <paramref name="cluster"/> after
    /// <see cref="ClusterCapacity.Allocate"/> took its resources.</summary>
    public static PlacementCommit After(ClusterCapacity cluster, Placement placement, long expectedVersion, string allocationId, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(placement);
        var host = cluster.Name(placement.Node);
        return new PlacementCommit(
            host,
            expectedVersion,
            cluster.FreeCpuMilli(placement.Node),
            cluster.FreeMemoryMib(placement.Node),
            HostCapacityRecord.FormatGpus(cluster.GpuFreeMilli(placement.Node)),
            new AllocationRecord
            {
                Id = allocationId,
                HostId = host,
                GpuIndices = string.Join(',', placement.Gpus),
                GpuMilliEach = placement.GpuMilliEach,
                CpuMilli = placement.Request.CpuMilli,
                MemoryMib = placement.Request.MemoryMib,
                CreatedAt = at,
            });
    }
}

using System.Collections.Immutable;

namespace Gpunet.Core.Scheduling;

/// <summary>Where a request went: the node's index and the GPUs used, each giving <c>Request.GpuMilli</c>.</summary>
public sealed record Placement(int Node, PlacementRequest Request, ImmutableArray<int> Gpus)
{
    /// <summary>Thousandths taken from each GPU in <see cref="Gpus"/>.</summary>
    public int GpuMilliEach => Request.GpuMilli;
}

namespace Gpunet.Core.Scheduling;

/// <summary>Chooses a node and GPUs for one request among the nodes that pass the hard filters.</summary>
/// <remarks>A policy only chooses; the caller commits the choice with <see cref="ClusterCapacity.Allocate"/>.
/// Not thread-safe: one policy instance per matcher loop.</remarks>
public interface IPlacementPolicy
{
    /// <summary>The policy's name as the CLI and reports spell it, e.g. <c>fgd</c>.</summary>
    string Name { get; }

    /// <summary>A feasible placement, or null when no node passes the filters.</summary>
    /// <param name="nodeFilter">Extra hard filter by node index (location, price, compliance); null: none.</param>
    Placement? Choose(ClusterCapacity cluster, PlacementRequest request, Func<int, bool>? nodeFilter = null);
}

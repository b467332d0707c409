namespace Gpunet.Core.Scheduling;

/// <summary>A placement policy that also takes a bit per node (bit <c>i % 64</c> of word <c>i / 64</c>) a node
/// must have set to be chosen, tested before the filter: a caller whose filter is costly and rejects many nodes
/// passes a cheap superset of the nodes it accepts.</summary>
/// <remarks>Decides exactly as <see cref="IPlacementPolicy.Choose"/> with a filter that also tests the bit.</remarks>
internal interface IMaskedPlacementPolicy : IPlacementPolicy
{
    /// <summary>As <see cref="IPlacementPolicy.Choose"/>, among the nodes whose bit in <paramref name="nodeMask"/>
    /// is set and that pass <paramref name="nodeFilter"/>; nodes past the mask's end are left out.</summary>
    Placement? Choose(ClusterCapacity cluster, PlacementRequest request, ReadOnlySpan<ulong> nodeMask, Func<int, bool>? nodeFilter);
}

namespace Gpunet.Core.Scheduling;

/// <summary>The scoring half of an FGD policy, as <see cref="DeltaCache"/> asks it: a node's score for a request,
/// smaller is better.</summary>
internal interface INodeScore
{
    /// <summary>True when <see cref="Evaluate"/> caches only a lower bound that <see cref="Complete"/> finishes.</summary>
    bool HasExtra { get; }

    /// <summary>Changes whenever <see cref="Complete"/> may give a node another score while the node's version holds
    /// (the scorer's extra terms were re-weighed); a completed score is cached until then.</summary>
    int ExtraVersion { get; }

    /// <summary>The parts of the extra (bit <c>min(part, 63)</c>) that moved after <paramref name="version"/>: a completed
    /// score that depended on none of them holds.</summary>
    ulong ExtraMovedSince(int version);

    /// <summary>The node's score for the request, valid until the node's version moves; +∞ when it does not fit.</summary>
    double Evaluate(ClusterCapacity cluster, int node, PlacementRequest request, ulong mask);

    /// <summary>The full score from the cached part; never below it. <paramref name="dependsOn"/>: the parts of the extra
    /// it depends on (as <see cref="ExtraMovedSince"/> counts them).</summary>
    double Complete(ClusterCapacity cluster, int node, PlacementRequest request, double cached, out ulong dependsOn);
}

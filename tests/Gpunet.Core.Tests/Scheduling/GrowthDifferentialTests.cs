using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Tests.Scheduling;

/// <summary>Policies on a cluster that grows (<see cref="ClusterCapacity.AddNode"/>) and is refreshed
/// (<see cref="ClusterCapacity.SetFree"/>) between decisions: the cached <see cref="FgdPolicy"/> chooses exactly
/// what the uncached <see cref="FgdReferencePolicy"/> does, and every policy places only where the reference filter fits.</summary>
public sealed class GrowthDifferentialTests
{
    [Property(MaxTest = 300)]
    public Property Choose_ClusterGrowsAndIsRefreshedBetweenDecisions_FgdSameAsReference() =>
        Prop.ForAll(ClusterGen.Scenario.ToArbitrary(), s =>
            SameChoices(s.Nodes, [.. s.Load, .. s.Probes], s.Seed, online: false)
            && SameChoices(s.Nodes, [.. s.Load, .. s.Probes], s.Seed, online: true));

    [Fact]
    public void Choose_HostsRegisteringOneByOne_FgdSameAsReference()
    {
        // Hosts arrive while requests are placed, some bringing a model the cluster has not seen before.
        string[] models = ["H100", "A100", "T4", "L4"];
        NodeSpec[] nodes = [.. Enumerable.Range(0, 200).Select(i => new NodeSpec($"h{i}", 96_000, 786_432, i % 5 == 0 ? 4 : 8, models[Math.Min(i / 40, 3)]))];
        PlacementRequest[] mix =
        [
            new(4_000, 16_384, 1, 1000), new(2_000, 8_192, 1, 500), new(8_000, 65_536, 0, 0),
            new(32_000, 262_144, 8, 1000), new(2_000, 8_192, 1, 300, ["T4", "L4"]), new(6_000, 32_768, 4, 1000, ["H100", "A100"]),
        ];
        var random = new SeededRandom(11);
        var requests = Enumerable.Range(0, 2_000).Select(_ => mix[random.NextInt(mix.Length)]).ToArray();

        Assert.True(SameChoices(nodes, requests, 3, online: false));
        Assert.True(SameChoices(nodes, requests, 4, online: true));
    }

    [Property(MaxTest = 200)]
    public Property Choose_AnyPolicyOnAGrowingCluster_PlacesOnlyWhereReferenceFits() => GrowingClusterAgrees();

    /// <summary>The case CI found: FGD's kinds were rebuilt (a new model) after its node arrays had doubled ahead of
    /// the cluster, and its per-kind rows were sized for the cluster only, so the next new node read past them.</summary>
    [Property(MaxTest = 1, Replay = "(13910774253761784190,1655456050857988541,100)")]
    public Property Choose_KindsRebuiltAfterNodeArraysGrewAhead_StaysInItsRows() => GrowingClusterAgrees();

    private static Property GrowingClusterAgrees() =>
        Prop.ForAll(ClusterGen.Scenario.ToArbitrary(), s =>
        {
            foreach (var name in PlacementPolicies.Names)
            {
                var cluster = new ClusterCapacity(s.Nodes.Take(1).ToArray());
                var policy = PlacementPolicies.Create(name, s.Seed);
                var next = 1;
                foreach (var r in s.Load.Concat(s.Probes))
                {
                    if (next < s.Nodes.Length)
                        cluster.AddNode(s.Nodes[next++]);
                    if (!ReferenceFilter.ChooseAgrees(policy, cluster, r, out var p))
                        return false;
                    if (p is not null)
                        cluster.Allocate(p);
                }
            }

            return true;
        });

    // Starts both clusters with a quarter of the nodes and adds one before each request; now and then overwrites a
    // node's free capacity (as a refresh from the store) or releases an earlier placement.
    private static bool SameChoices(NodeSpec[] nodes, PlacementRequest[] requests, ulong seed, bool online)
    {
        var start = Math.Max(1, nodes.Length / 4);
        var fastCluster = new ClusterCapacity(nodes.Take(start).ToArray());
        var refCluster = new ClusterCapacity(nodes.Take(start).ToArray());
        var target = online ? null : WorkloadDistribution.From(requests);
        var fast = new FgdPolicy(target);
        var reference = new FgdReferencePolicy(target);
        var random = new SeededRandom(seed);
        var placed = new List<Placement>();
        var next = start;
        foreach (var r in requests)
        {
            if (next < nodes.Length)
            {
                fastCluster.AddNode(nodes[next]);
                refCluster.AddNode(nodes[next]);
                next++;
            }

            var a = fast.Choose(fastCluster, r);
            var b = reference.Choose(refCluster, r);
            if (a is null != b is null)
                return false;
            if (a is not null && b is not null)
            {
                if (a.Node != b.Node || !a.Gpus.SequenceEqual(b.Gpus))
                    return false;
                fastCluster.Allocate(a);
                refCluster.Allocate(b);
                placed.Add(a);
            }

            switch (random.NextInt(6))
            {
                case 0 when placed.Count > 0:
                    var i = random.NextInt(placed.Count);
                    fastCluster.Release(placed[i]);
                    refCluster.Release(placed[i]);
                    placed.RemoveAt(i);
                    break;
                case 1:
                    // A refresh from the store frees the node entirely; its placements are forgotten.
                    var node = random.NextInt(fastCluster.NodeCount);
                    int[] free = [.. Enumerable.Repeat(PlacementRequest.WholeGpu, fastCluster.GpuFreeMilli(node).Length)];
                    var spec = nodes.First(n => n.Name == fastCluster.Name(node));
                    fastCluster.SetFree(node, spec.CpuMilli, spec.MemoryMib, free);
                    refCluster.SetFree(node, spec.CpuMilli, spec.MemoryMib, free);
                    placed.RemoveAll(p => p.Node == node);
                    break;
            }
        }

        return true;
    }
}

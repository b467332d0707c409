using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Tests.Scheduling;

/// <summary>The fast <see cref="MultiResourceFgdPolicy"/> (rows kept from the cluster's journal, scores cached per
/// node and request shape, homes counted incrementally) against <see cref="MultiResourceFgdReferencePolicy"/>: the same
/// node and GPUs on every decision, with allocations and releases between decisions.</summary>
public sealed class MultiResourceFgdDifferentialTests
{
    [Property(MaxTest = 200)]
    public Property Choose_RandomClustersRequestsAndReleases_SameNodeAndGpusAsReference() =>
        Prop.ForAll(ClusterGen.Scenario.ToArbitrary(), s =>
        {
            var all = s.Load.Concat(s.Probes).ToArray();
            return SameChoices(s.Nodes, all, s.Seed, online: false, filtered: s.Seed % 3 == 0)
                && SameChoices(s.Nodes, all, s.Seed, online: true, filtered: s.Seed % 3 == 1);
        });

    [Fact]
    public void Choose_DerivedTraceWithScarceKinds_SameNodeAndGpusAsReference()
    {
        // CPU-only pods and 120-core 8-GPU pods: the binding resource flips and scarce homes cost something.
        var nodes = DerivedWorkloads.Cluster();
        var requests = DerivedWorkloads.Pods(new(0.45, 0.4, 0.15, 1, 0.1, 11)).Select(p => p.Request).Take(700).ToArray();

        Assert.True(SameChoices(nodes, requests, 3, online: true, filtered: false));
        Assert.True(SameChoices(nodes, requests, 4, online: true, filtered: true));
    }

    private static bool SameChoices(NodeSpec[] nodes, PlacementRequest[] requests, ulong seed, bool online, bool filtered)
    {
        var fastCluster = new ClusterCapacity(nodes);
        var refCluster = new ClusterCapacity(nodes);
        var target = online ? null : WorkloadDistribution.From(requests, 0, byCpu: true);
        var fast = new MultiResourceFgdPolicy(target, learn: online);
        var reference = new MultiResourceFgdReferencePolicy(target, learn: online);
        var random = new SeededRandom(seed);
        Func<int, bool>? filter = filtered ? n => (n + (int)(seed % 4)) % 4 != 0 : null;
        var placed = new List<Placement>();
        foreach (var r in requests)
        {
            // Ask the same request up to three times in a row, so that cached scores are reused.
            var repeats = 1 + random.NextInt(3);
            for (var k = 0; k < repeats; k++)
            {
                var a = fast.Choose(fastCluster, r, filter);
                var b = reference.Choose(refCluster, r, filter);
                if (a is null != b is null)
                    return false;
                if (a is null || b is null)
                    break;
                if (a.Node != b.Node || !a.Gpus.SequenceEqual(b.Gpus))
                    return false;
                fastCluster.Allocate(a);
                refCluster.Allocate(b);
                placed.Add(a);
            }

            // Now and then release an earlier placement, anywhere in the cluster.
            if (placed.Count > 0 && random.NextInt(3) == 0)
            {
                var i = random.NextInt(placed.Count);
                fastCluster.Release(placed[i]);
                refCluster.Release(placed[i]);
                placed.RemoveAt(i);
            }
        }

        return true;
    }
}

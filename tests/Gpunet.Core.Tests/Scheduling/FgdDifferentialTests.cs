using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Tests.Scheduling;

/// <summary>The fast <see cref="FgdPolicy"/> (deltas cached per node and request shape) against the uncached
/// <see cref="FgdReferencePolicy"/>: the same node and GPUs on every decision, with allocations and releases
/// between decisions.</summary>
public sealed class FgdDifferentialTests
{
    [Property(MaxTest = 300)]
    public Property Choose_RandomClustersRequestsAndReleases_SameNodeAndGpusAsReference() =>
        Prop.ForAll(ClusterGen.Scenario.ToArbitrary(), s =>
        {
            // Both a fixed target (the whole sequence) and an online one (learnt as requests arrive).
            var all = s.Load.Concat(s.Probes).ToArray();
            return SameChoices(s.Nodes, all, s.Seed, online: false, filtered: s.Seed % 3 == 0)
                && SameChoices(s.Nodes, all, s.Seed, online: true, filtered: s.Seed % 3 == 1);
        });

    [Fact]
    public void Choose_LargeClusterWithFewShapes_SameNodeAndGpusAsReference()
    {
        // Few request shapes on many similar nodes: the cache hits on most nodes of most decisions.
        string[] models = ["H100", "A100", "T4"];
        NodeSpec[] nodes = [.. Enumerable.Range(0, 300).Select(i => new NodeSpec($"h{i}", 96_000, 786_432, i % 5 == 0 ? 4 : 8, models[i % 3]))];
        PlacementRequest[] mix =
        [
            new(4_000, 16_384, 1, 1000), new(2_000, 8_192, 1, 500), new(2_000, 8_192, 1, 250), new(8_000, 65_536, 0, 0),
            new(32_000, 262_144, 8, 1000), new(4_000, 16_384, 2, 1000), new(2_000, 8_192, 1, 300, ["T4"]),
            new(6_000, 32_768, 4, 1000, ["H100", "A100"]), new(1_000, 4_096, 1, 700),
        ];
        var random = new SeededRandom(42);
        var requests = Enumerable.Range(0, 6_000).Select(_ => mix[random.NextInt(mix.Length)]).ToArray();

        Assert.True(SameChoices(nodes, requests, 7, online: false, filtered: false));
        Assert.True(SameChoices(nodes, requests, 8, online: true, filtered: false));
        Assert.True(SameChoices(nodes, requests, 9, online: false, filtered: true));
    }

    private static bool SameChoices(NodeSpec[] nodes, PlacementRequest[] requests, ulong seed, bool online, bool filtered)
    {
        var fastCluster = new ClusterCapacity(nodes);
        var refCluster = new ClusterCapacity(nodes);
        var target = online ? null : WorkloadDistribution.From(requests);
        var fast = new FgdPolicy(online ? null : target);
        var reference = new FgdReferencePolicy(online ? null : target);
        var random = new SeededRandom(seed);
        Func<int, bool>? filter = filtered ? n => (n + (int)(seed % 4)) % 4 != 0 : null;
        var placed = new List<Placement>();
        foreach (var r in requests)
        {
            // Ask the same request up to three times in a row, so that cached deltas are reused.
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

using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Tests.Scheduling;

/// <summary>The loop of the policies' differential tests: a fast policy and its plain reference decide the same
/// requests on two copies of a cluster, each request asked up to three times in a row (so cached scores are reused),
/// with earlier placements released now and then anywhere in the cluster.</summary>
internal static class SameChoices
{
    /// <summary>True when both chose the same node and GPUs, or both failed, on every decision.</summary>
    public static bool Hold(NodeSpec[] nodes, PlacementRequest[] requests, ulong seed, bool filtered, IPlacementPolicy fast, IPlacementPolicy reference)
    {
        var fastCluster = new ClusterCapacity(nodes);
        var refCluster = new ClusterCapacity(nodes);
        var random = new SeededRandom(seed);
        Func<int, bool>? filter = filtered ? n => (n + (int)(seed % 4)) % 4 != 0 : null;
        var placed = new List<Placement>();
        foreach (var r in requests)
        {
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

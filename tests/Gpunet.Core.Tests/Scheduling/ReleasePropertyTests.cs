using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Tests.Scheduling;

public sealed class ReleasePropertyTests
{
    [Property(MaxTest = 200)]
    public Property Release_EveryPlacementInAnyOrder_GivesBackTheOriginalCapacity() =>
        Prop.ForAll(ClusterGen.Scenario.ToArbitrary(), s =>
        {
            foreach (var name in PlacementPolicies.Names)
            {
                var cluster = new ClusterCapacity(s.Nodes);
                var original = Clusters.Snapshot(cluster);
                var policy = PlacementPolicies.Create(name, s.Seed);
                var placed = s.Load.Concat(s.Probes).Select(r => policy.Place(cluster, r)).OfType<Placement>().ToList();
                var random = new SeededRandom(s.Seed);
                while (placed.Count > 0)
                {
                    var i = random.NextInt(placed.Count);
                    cluster.Release(placed[i]);
                    placed.RemoveAt(i);
                }

                if (Clusters.Snapshot(cluster) != original || cluster.AllocatedGpuMilli != 0)
                    return false;
            }

            return true;
        });
}

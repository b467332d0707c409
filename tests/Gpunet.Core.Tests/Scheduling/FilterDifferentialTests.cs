using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Tests.Scheduling;

public sealed class FilterDifferentialTests
{
    [Property(MaxTest = 300)]
    public Property Fits_RandomClustersAndRequests_AgreesWithReferenceLoop() =>
        Prop.ForAll(ClusterGen.Scenario.ToArbitrary(), s =>
        {
            var cluster = new ClusterCapacity(s.Nodes);
            var policy = new RandomFitPolicy(s.Seed);
            // Load the cluster first so that GPUs are partly used, CPU and memory short.
            foreach (var r in s.Load)
                policy.Place(cluster, r);
            foreach (var r in s.Probes)
            {
                var mask = cluster.ModelMask(r.AcceptableModels);
                for (var i = 0; i < cluster.NodeCount; i++)
                {
                    if (cluster.Fits(i, r, mask) != ReferenceFilter.Fits(cluster, i, r))
                        return false;
                }
            }

            return true;
        });

    [Property(MaxTest = 200)]
    public Property Choose_AnyPolicy_PlacesOnlyWhereReferenceFitsAndFailsOnlyWhenNothingFits() =>
        Prop.ForAll(ClusterGen.Scenario.ToArbitrary(), s =>
        {
            foreach (var name in PlacementPolicies.Names)
            {
                var cluster = new ClusterCapacity(s.Nodes);
                var policy = PlacementPolicies.Create(name, s.Seed);
                foreach (var r in s.Load.Concat(s.Probes))
                {
                    if (!ReferenceFilter.ChooseAgrees(policy, cluster, r, out var p))
                        return false;
                    if (p is not null)
                        cluster.Allocate(p);
                }
            }

            return true;
        });

    [Property(MaxTest = 100)]
    public Property Choose_NodeFilter_NeverPlacesOnAnExcludedNodeAndFailsOnlyWhenNoAllowedNodeFits() =>
        Prop.ForAll(ClusterGen.Scenario.ToArbitrary(), s =>
        {
            static bool Allowed(int node) => node % 2 == 0;
            foreach (var name in PlacementPolicies.Names)
            {
                var cluster = new ClusterCapacity(s.Nodes);
                var policy = PlacementPolicies.Create(name, s.Seed);
                foreach (var r in s.Load.Concat(s.Probes))
                {
                    var anyFits = Enumerable.Range(0, cluster.NodeCount).Any(i => Allowed(i) && ReferenceFilter.Fits(cluster, i, r));
                    var p = policy.Choose(cluster, r, Allowed);
                    if (p is null != !anyFits || (p is not null && !Allowed(p.Node)))
                        return false;
                    if (p is not null)
                        cluster.Allocate(p);
                }
            }

            return true;
        });
}

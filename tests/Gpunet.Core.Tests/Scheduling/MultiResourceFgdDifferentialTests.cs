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
        var target = online ? null : WorkloadDistribution.From(requests, 0, byCpu: true);
        return Scheduling.SameChoices.Hold(nodes, requests, seed, filtered, new MultiResourceFgdPolicy(target, learn: online), new MultiResourceFgdReferencePolicy(target, learn: online));
    }
}

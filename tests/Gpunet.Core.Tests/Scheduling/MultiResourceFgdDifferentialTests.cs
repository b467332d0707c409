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

    [Fact]
    public void Choose_IdenticalHostsWithHomeCostsOn_SameNodeAndGpusAsReference()
    {
        // The placement benchmark's market in small: identical 8-GPU hosts, one whole GPU or half of one per order.
        // Far more orders are expected than hosts, so taking a host's last whole GPU costs a home all run long: scores
        // completed with that cost are reused across decisions, and dropped when the costs move as the hosts fill.
        var nodes = Enumerable.Range(0, 48).Select(i => new NodeSpec($"h{i}", 128_000, 1_048_576, 8, i % 3 == 2 ? "H100-PCIe" : "H100-SXM")).ToArray();
        var requests = Enumerable.Range(0, 420)
            .Select(i => i % 4 == 3 ? new PlacementRequest(2_000, 16_384, 1, 500) : new PlacementRequest(4_000, 32_768, 1, 1000))
            .ToArray();

        Assert.True(SameChoices(nodes, requests, 5, online: false, filtered: false));
        Assert.True(SameChoices(nodes, requests, 6, online: true, filtered: true));
    }

    private static bool SameChoices(NodeSpec[] nodes, PlacementRequest[] requests, ulong seed, bool online, bool filtered)
    {
        var target = online ? null : WorkloadDistribution.From(requests, 0, byCpu: true);
        return Scheduling.SameChoices.Hold(nodes, requests, seed, filtered, new MultiResourceFgdPolicy(target, learn: online), new MultiResourceFgdReferencePolicy(target, learn: online));
    }
}

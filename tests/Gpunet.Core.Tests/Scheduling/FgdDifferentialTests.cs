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
        var target = online ? null : WorkloadDistribution.From(requests);
        return Scheduling.SameChoices.Hold(nodes, requests, seed, filtered, new FgdPolicy(online ? null : target), new FgdReferencePolicy(online ? null : target));
    }
}

using Gpunet.Core.Scheduling;
using static Gpunet.Core.Tests.Scheduling.Clusters;

namespace Gpunet.Core.Tests.Scheduling;

public sealed class MultiResourceFgdPolicyTests
{
    private static WorkloadDistribution MarketPrior() => WorkloadDistribution.From(
        [Whole(1, cpu: 0, memory: 0), Whole(2, cpu: 0, memory: 0), Whole(4, cpu: 0, memory: 0), Whole(8, cpu: 0, memory: 0), Fraction(500, cpu: 0, memory: 0)],
        MultiResourceFgdPolicy.DefaultHalfLife, byCpu: true);

    [Fact]
    public void Choose_SmallOrdersAfterAFourGpuOne_FillThePartlyUsedHostAndKeepTheOtherWhole()
    {
        var cluster = new ClusterCapacity([Node(8, "H100"), Node(8, "H100")]);
        var policy = new MultiResourceFgdPolicy(MarketPrior());

        var used = policy.Place(cluster, Whole(4, cpu: 0, memory: 0))!.Node;
        for (var i = 0; i < 3; i++)
            Assert.Equal(used, policy.Place(cluster, Whole(1, cpu: 0, memory: 0))!.Node);

        Assert.NotNull(policy.Place(cluster, Whole(8, cpu: 0, memory: 0)));
    }

    // Ten 8-GPU nodes (one of them with 64 cores and 32 GiB, nearly full; the rest 128 cores and 1 TiB) against a
    // market of whole-node tasks; node 0 has 4 GPUs taken and `node0CpuUsed` millicores. A one-GPU order fits best on
    // node 0 by FGD (it keeps the whole nodes whole) and on the nearly full node by best-fit (least left over).
    private static int ChosenWithNodeZeroUsing(int node0CpuUsed)
    {
        var nodes = Enumerable.Range(0, 10).Select(i => i == 5 ? Node(8, "H100", cpu: 64_000, memory: 32_768) : Node(8, "H100", cpu: 128_000, memory: 1_048_576)).ToList();
        var cluster = new ClusterCapacity(nodes);
        cluster.SetFree(0, 128_000 - node0CpuUsed, 1_048_576, [0, 0, 0, 0, 1000, 1000, 1000, 1000]);
        cluster.SetFree(5, 2_000, 1_024, [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000]);
        var prior = WorkloadDistribution.From([Whole(8, cpu: 1_000, memory: 512), Whole(8, cpu: 1_000, memory: 512), Whole(1, cpu: 1_000, memory: 512)],
            MultiResourceFgdPolicy.DefaultHalfLife, byCpu: true);
        return new MultiResourceFgdPolicy(prior).Place(cluster, Whole(1, cpu: 1_000, memory: 512))!.Node;
    }

    [Fact]
    public void Choose_CpuAllocatedJustAheadOfGpus_StillPacksByFragmentation_FarAhead_ByBestFit()
    {
        // 5 % of the GPUs are taken. CPU: the nearly full node's 62 cores plus node 0's, of 1,216.
        // 74 cores: 6.1 %, a point ahead of the GPUs, inside the dead band: a balanced mix, FGD decides.
        Assert.Equal(0, ChosenWithNodeZeroUsing(12_000));
        // 102 cores: 8.4 %, over three points ahead: CPU binds, and best-fit packs the node CPU and memory have run out on.
        Assert.Equal(5, ChosenWithNodeZeroUsing(40_000));
    }
}

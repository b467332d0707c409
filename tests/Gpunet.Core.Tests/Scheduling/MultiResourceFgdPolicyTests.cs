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
}

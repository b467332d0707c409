using Gpunet.Core.Scheduling;
using static Gpunet.Core.Tests.Scheduling.Clusters;

namespace Gpunet.Core.Tests.Scheduling;

public sealed class RandomFitPolicyTests
{
    private static int[] Nodes(ulong seed)
    {
        var cluster = new ClusterCapacity([.. Enumerable.Range(0, 10).Select(_ => Node(8))]);
        var policy = new RandomFitPolicy(seed);
        return [.. Enumerable.Range(0, 20).Select(_ => policy.Place(cluster, Whole(1))!.Node)];
    }

    [Fact]
    public void Choose_SameSeed_SamePlacements()
    {
        Assert.Equal(Nodes(7), Nodes(7));
    }

    [Fact]
    public void Choose_ManyRequests_SpreadsOverNodes()
    {
        Assert.True(Nodes(7).Distinct().Count() >= 5);
    }

    [Fact]
    public void Choose_OneFeasibleNode_AlwaysThatNode()
    {
        var cluster = new ClusterCapacity([Node(2, "T4"), Node(2, "A100"), Node(2, "T4")]);
        var policy = new RandomFitPolicy(3);

        Assert.All(Enumerable.Range(0, 20), _ => Assert.Equal(1, policy.Choose(cluster, Whole(1, models: "A100"))!.Node));
    }
}

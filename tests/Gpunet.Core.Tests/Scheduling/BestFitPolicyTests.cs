using Gpunet.Core.Scheduling;
using static Gpunet.Core.Tests.Scheduling.Clusters;

namespace Gpunet.Core.Tests.Scheduling;

public sealed class BestFitPolicyTests
{
    [Fact]
    public void Choose_PartlyUsedAndEmptyNodes_PacksOntoThePartlyUsedOne()
    {
        var cluster = new ClusterCapacity([Node(8), Node(8), Node(8)]);
        var policy = new BestFitPolicy();
        cluster.Allocate(new Placement(1, Whole(3), [0, 1, 2]));

        var p = policy.Place(cluster, Whole(2));

        Assert.Equal(1, p!.Node);
        Assert.Equal([3, 4], p.Gpus.ToArray());
    }

    [Fact]
    public void Choose_EqualNodes_TakesLowestIndex()
    {
        var cluster = new ClusterCapacity([Node(4), Node(4)]);

        Assert.Equal(0, new BestFitPolicy().Choose(cluster, Whole(1))!.Node);
    }

    [Fact]
    public void Choose_Fraction_TakesTheFullestGpuThatStillFits()
    {
        var cluster = new ClusterCapacity([Node(4)]);
        cluster.Allocate(new Placement(0, Fraction(500), [1]));
        cluster.Allocate(new Placement(0, Fraction(800), [2]));

        var p = new BestFitPolicy().Choose(cluster, Fraction(400));

        Assert.Equal([1], p!.Gpus.ToArray());
    }

    [Fact]
    public void Choose_FractionsInARow_ShareOneGpuBeforeOpeningAnother()
    {
        var cluster = new ClusterCapacity([Node(2)]);
        var policy = new BestFitPolicy();

        var gpus = Enumerable.Range(0, 3).Select(_ => policy.Place(cluster, Fraction(300))!.Gpus.Single()).ToArray();

        Assert.Equal([0, 0, 0], gpus);
        Assert.Equal([100, 1000], cluster.GpuFreeMilli(0).ToArray());
    }

    [Fact]
    public void Choose_NodeFilterExcludesTheBestNode_TakesTheNextBest()
    {
        var cluster = new ClusterCapacity([Node(8), Node(2), Node(4)]);

        var p = new BestFitPolicy().Choose(cluster, Whole(1), i => i != 1);

        Assert.Equal(2, p!.Node);
    }

    [Fact]
    public void Choose_NothingFits_ReturnsNull()
    {
        var cluster = new ClusterCapacity([Node(2, "T4"), Node(4, "A100", cpu: 1_000)]);

        Assert.Null(new BestFitPolicy().Choose(cluster, Whole(2, cpu: 2_000, models: "A100")));
    }
}

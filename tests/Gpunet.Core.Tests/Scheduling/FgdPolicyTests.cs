using Gpunet.Core.Scheduling;
using static Gpunet.Core.Tests.Scheduling.Clusters;

namespace Gpunet.Core.Tests.Scheduling;

public sealed class FgdPolicyTests
{
    // An 8-GPU node with few CPUs and a 4-GPU node with many: best-fit's "least left" is the 8-GPU node.
    private static ClusterCapacity EightAndFour() =>
        new([Node(8, cpu: 16_000, memory: 65_536), Node(4, cpu: 256_000, memory: 1_048_576)]);

    private static readonly WorkloadDistribution HalfEightHalfOne =
        WorkloadDistribution.From([Whole(8), Whole(1)]);

    [Fact]
    public void Choose_OneGpuRequest_KeepsTheWholeEightGpuNodeFreeForAnEightGpuRequest()
    {
        var cluster = EightAndFour();
        var fgd = new FgdPolicy(HalfEightHalfOne);

        var small = fgd.Place(cluster, Whole(1, cpu: 4_000, memory: 4_096));
        var big = fgd.Place(cluster, Whole(8, cpu: 8_000));

        Assert.Equal(1, small!.Node);
        Assert.Equal(0, big!.Node);
    }

    [Fact]
    public void Choose_SameRequestsUnderBestFit_BreaksTheEightGpuNodeAndTheEightGpuRequestFails()
    {
        var cluster = EightAndFour();
        var bestFit = new BestFitPolicy();

        var small = bestFit.Place(cluster, Whole(1, cpu: 4_000, memory: 4_096));
        var big = bestFit.Place(cluster, Whole(8, cpu: 8_000));

        Assert.Equal(0, small!.Node);
        Assert.Null(big);
    }

    [Fact]
    public void Choose_FractionsInARow_ShareOneGpuBeforeOpeningAnother()
    {
        var cluster = new ClusterCapacity([Node(2)]);
        var fgd = new FgdPolicy(WorkloadDistribution.From([Fraction(300), Whole(1)]));

        var gpus = Enumerable.Range(0, 3).Select(_ => fgd.Place(cluster, Fraction(300))!.Gpus.Single()).ToArray();

        Assert.Equal([0, 0, 0], gpus);
    }

    [Fact]
    public void Choose_FractionWithOnlineTarget_JoinsTheGpuAlreadyShared()
    {
        var cluster = new ClusterCapacity([Node(4), Node(4)]);
        var fgd = new FgdPolicy();
        fgd.Place(cluster, Whole(1));
        var first = fgd.Place(cluster, Fraction(400))!;

        var second = fgd.Place(cluster, Fraction(400))!;

        Assert.Equal((first.Node, first.Gpus.Single()), (second.Node, second.Gpus.Single()));
    }

    [Fact]
    public void Choose_FractionThatFitsASliverExactly_FillsTheSliverInsteadOfCuttingAWholeGpu()
    {
        var cluster = new ClusterCapacity([Node(2), Node(2)]);
        cluster.Allocate(new Placement(1, Fraction(700), [1]));
        var fgd = new FgdPolicy(WorkloadDistribution.From([Fraction(300), Whole(1)]));

        var p = fgd.Choose(cluster, Fraction(300));

        Assert.Equal((1, 1), (p!.Node, p.Gpus.Single()));
    }

    [Fact]
    public void Fragmentation_WrongModelForEveryTask_CountsAllFreeShare()
    {
        var cluster = new ClusterCapacity([Node(2, "T4")]);
        var fgd = new FgdPolicy(WorkloadDistribution.From([Whole(1, models: "A100")]));

        Assert.Equal(2_000, fgd.Fragmentation(cluster, 0), 6);
    }

    [Fact]
    public void Fragmentation_GpusTooSmallForHalfTheTasks_CountsTheirShareAtThatWeight()
    {
        var cluster = new ClusterCapacity([Node(2)]);
        cluster.Allocate(new Placement(0, Fraction(600), [0]));
        // GPU 0 has 400 free: unusable by the whole-GPU half, usable by the 300 half; GPU 1 serves both.
        var fgd = new FgdPolicy(WorkloadDistribution.From([Fraction(300), Whole(1)]));

        Assert.Equal(200, fgd.Fragmentation(cluster, 0), 6);
    }

    [Fact]
    public void Choose_NoNodeHasEnoughCpu_ReturnsNull()
    {
        var cluster = new ClusterCapacity([Node(8, cpu: 1_000)]);

        Assert.Null(new FgdPolicy(HalfEightHalfOne).Choose(cluster, Whole(1, cpu: 2_000)));
    }

    [Fact]
    public void Choose_TargetReweighedToHalfGpus_LeavesAHalfFreeInsteadOfPackingTheUsedGpu()
    {
        // One free GPU and one with 0.7 left. While whole GPUs and halves weigh alike, half a GPU packs the used one
        // (its 0.7 is useless to a whole-GPU task); once halves dominate, it keeps that 0.7 whole for another half
        // (0.2 left is useless to both) and takes the free GPU, leaving 0.5. Same kinds, new weights: the cached
        // scores must follow.
        var cluster = new ClusterCapacity([Node(1), Node(1)]);
        cluster.Allocate(new Placement(1, Fraction(300), [0]));
        var target = WorkloadDistribution.From([Whole(1), Fraction(500)]);
        var fgd = new FgdPolicy(target, learn: false);

        Assert.Equal(1, fgd.Choose(cluster, Fraction(500))!.Node);

        for (var i = 0; i < 300; i++)
            target.Observe(Fraction(500));

        Assert.Equal(0, fgd.Choose(cluster, Fraction(500))!.Node);
    }
}

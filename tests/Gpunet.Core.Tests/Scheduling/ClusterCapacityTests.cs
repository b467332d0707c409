using Gpunet.Core.Scheduling;
using static Gpunet.Core.Tests.Scheduling.Clusters;

namespace Gpunet.Core.Tests.Scheduling;

public sealed class ClusterCapacityTests
{
    [Fact]
    public void Allocate_WholeAndFraction_TakesExactlyTheirShare()
    {
        var cluster = new ClusterCapacity([Node(4, cpu: 10_000, memory: 8_192)]);

        cluster.Allocate(new Placement(0, Whole(2, cpu: 3_000, memory: 1_000), [0, 2]));
        cluster.Allocate(new Placement(0, Fraction(250, cpu: 500, memory: 24), [1]));

        Assert.Equal([0, 750, 0, 1000], cluster.GpuFreeMilli(0).ToArray());
        Assert.Equal((6_500, 7_168), (cluster.FreeCpuMilli(0), cluster.FreeMemoryMib(0)));
        Assert.Equal(2_250, cluster.AllocatedGpuMilli);
        Assert.Equal(2_250 / 4_000.0, cluster.AllocatedGpuShare);
    }

    [Fact]
    public void Release_AfterAllocate_GivesBackExactly()
    {
        var cluster = new ClusterCapacity([Node(4)]);
        var before = Snapshot(cluster);
        var p = new Placement(0, Fraction(333), [3]);
        cluster.Allocate(p);

        cluster.Release(p);

        Assert.Equal(before, Snapshot(cluster));
    }

    [Fact]
    public void Release_Twice_ThrowsAndChangesNothing()
    {
        var cluster = new ClusterCapacity([Node(2)]);
        var p = new Placement(0, Whole(1), [0]);
        cluster.Allocate(p);
        cluster.Release(p);
        var before = Snapshot(cluster);

        Assert.Throws<InvalidOperationException>(() => cluster.Release(p));
        Assert.Equal(before, Snapshot(cluster));
    }

    [Fact]
    public void Allocate_GpuAlreadyTaken_ThrowsAndChangesNothing()
    {
        var cluster = new ClusterCapacity([Node(2)]);
        cluster.Allocate(new Placement(0, Fraction(600), [0]));
        var before = Snapshot(cluster);

        Assert.Throws<InvalidOperationException>(() => cluster.Allocate(new Placement(0, Whole(2), [0, 1])));
        Assert.Equal(before, Snapshot(cluster));
    }

    [Fact]
    public void Allocate_UnacceptableModel_Throws()
    {
        var cluster = new ClusterCapacity([Node(2, "T4")]);

        Assert.Throws<InvalidOperationException>(() => cluster.Allocate(new Placement(0, Whole(1, models: "A100"), [0])));
    }

    [Fact]
    public void PlacementRequest_FractionOfSeveralGpus_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlacementRequest(0, 0, 2, 500));
    }

    [Fact]
    public void ModelMask_EmptyList_AcceptsEveryModel()
    {
        var cluster = new ClusterCapacity([Node(1, "T4"), Node(1, "A100")]);

        Assert.True(cluster.Fits(0, Whole(1), cluster.ModelMask([])));
        Assert.True(cluster.Fits(1, Whole(1), cluster.ModelMask([])));
        Assert.False(cluster.Fits(0, Whole(1), cluster.ModelMask(["A100", "unknown"])));
    }

    [Fact]
    public void SeededRandom_NextInt_StaysInRangeAndRepeatsForASeed()
    {
        var a = new SeededRandom(42);
        var b = new SeededRandom(42);
        var xs = Enumerable.Range(0, 1000).Select(_ => a.NextInt(7)).ToArray();

        Assert.All(xs, x => Assert.InRange(x, 0, 6));
        Assert.Equal(7, xs.Distinct().Count());
        Assert.Equal(xs, Enumerable.Range(0, 1000).Select(_ => b.NextInt(7)));
    }
}

using Gpunet.Core.Scheduling;
using static Gpunet.Core.Tests.Scheduling.Clusters;

namespace Gpunet.Core.Tests.Scheduling;

/// <summary>A cluster that grows as hosts register and is refreshed from the store: <see cref="ClusterCapacity.AddNode"/>,
/// <see cref="ClusterCapacity.TryGetNode"/>, <see cref="ClusterCapacity.SetFree"/>.</summary>
public sealed class ClusterCapacityGrowthTests
{
    [Fact]
    public void AddNode_ManyToAnEmptyCluster_IndexesInOrderAllFree()
    {
        var cluster = new ClusterCapacity();

        for (var i = 0; i < 100; i++)
            Assert.Equal(i, cluster.AddNode(Node(i % 3 * 4, i % 2 == 0 ? "A100" : "H100", name: $"h{i}")));

        Assert.Equal(100, cluster.NodeCount);
        Assert.Equal(Enumerable.Range(0, 100).Sum(i => i % 3 * 4) * 1000L, cluster.TotalGpuMilli);
        Assert.Equal(0, cluster.AllocatedGpuMilli);
        Assert.True(cluster.TryGetNode("h59", out var node));
        Assert.Equal(59, node);
        Assert.Equal("h59", cluster.Name(59));
        Assert.Equal("H100", cluster.GpuModel(59));
        Assert.All(Enumerable.Range(0, 100), i => Assert.All(cluster.GpuFreeMilli(i).ToArray(), f => Assert.Equal(1000, f)));
    }

    [Fact]
    public void AddNode_AfterAllocations_KeepsEarlierNodesAsTheyWere()
    {
        var cluster = new ClusterCapacity([Node(4, name: "a"), Node(2, name: "b")]);
        cluster.Allocate(new Placement(0, Whole(2), [1, 3]));
        cluster.Allocate(new Placement(1, Fraction(300), [1]));
        var before = Snapshot(cluster);

        var added = cluster.AddNode(Node(8, "T4", name: "c"));

        Assert.Equal(2, added);
        Assert.StartsWith(before[..before.IndexOf('|', StringComparison.Ordinal)], Snapshot(cluster), StringComparison.Ordinal);
        Assert.Equal(2_300, cluster.AllocatedGpuMilli);
        Assert.Equal(14_000, cluster.TotalGpuMilli);
        Assert.True(cluster.Fits(2, Whole(8, models: "T4"), cluster.ModelMask(["T4"])));
    }

    [Fact]
    public void AddNode_DuplicateName_ThrowsAndChangesNothing()
    {
        var cluster = new ClusterCapacity([Node(4, name: "a")]);
        var before = Snapshot(cluster);

        Assert.Throws<ArgumentException>(() => cluster.AddNode(Node(8, "T4", name: "a")));
        Assert.Equal(before, Snapshot(cluster));
        Assert.Equal(1, cluster.NodeCount);
        Assert.Equal(4_000, cluster.TotalGpuMilli);
        Assert.Equal(0UL, cluster.ModelMask(["T4"]));
    }

    [Fact]
    public void Constructor_DuplicateNames_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ClusterCapacity([Node(1, name: "a"), Node(2, name: "a")]));
    }

    [Fact]
    public void AddNode_InvalidSpec_ThrowsAndChangesNothing()
    {
        var cluster = new ClusterCapacity([Node(4, name: "a")]);

        Assert.Throws<ArgumentException>(() => cluster.AddNode(new NodeSpec("b", -1, 0, 0, "")));
        Assert.Throws<ArgumentException>(() => cluster.AddNode(new NodeSpec("b", 1000, 0, 2, "")));
        Assert.Equal(1, cluster.NodeCount);
        Assert.False(cluster.TryGetNode("b", out _));
    }

    [Fact]
    public void AddNode_A65thModel_ThrowsAndChangesNothing()
    {
        var cluster = new ClusterCapacity([.. Enumerable.Range(0, 64).Select(i => Node(1, $"m{i}", name: $"h{i}"))]);

        Assert.Throws<ArgumentException>(() => cluster.AddNode(Node(1, "m64", name: "h64")));
        Assert.Equal(64, cluster.NodeCount);
        Assert.False(cluster.TryGetNode("h64", out _));
        Assert.Equal(64, cluster.AddNode(Node(1, "m3", name: "h64")));
    }

    [Fact]
    public void TryGetNode_UnknownName_False()
    {
        var cluster = new ClusterCapacity([Node(1, name: "a")]);

        Assert.False(cluster.TryGetNode("b", out _));
        Assert.False(cluster.TryGetNode("A", out _));
    }

    [Fact]
    public void Accessors_IndexPastNodeCount_Throw()
    {
        // The arrays have spare room past the last node; an index there is still out of range.
        var cluster = new ClusterCapacity();
        cluster.AddNode(Node(1, name: "a"));

        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.FreeCpuMilli(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.Name(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.Allocate(new Placement(1, CpuOnly(0), [])));
    }

    [Fact]
    public void SetFree_FromTheStore_OverwritesAndKeepsTheAllocatedShareRight()
    {
        var cluster = new ClusterCapacity([Node(4, cpu: 10_000, memory: 8_192, name: "a"), Node(2, name: "b")]);
        cluster.Allocate(new Placement(1, Whole(1), [0]));
        var version = cluster.Version(0);

        cluster.SetFree(0, 4_000, 2_048, [1000, 0, 250, 1000]);

        Assert.Equal([1000, 0, 250, 1000], cluster.GpuFreeMilli(0).ToArray());
        Assert.Equal((4_000, 2_048), (cluster.FreeCpuMilli(0), cluster.FreeMemoryMib(0)));
        Assert.Equal(1_750 + 1_000, cluster.AllocatedGpuMilli);
        Assert.NotEqual(version, cluster.Version(0));
        Assert.False(cluster.Fits(0, Whole(3), ulong.MaxValue));
        Assert.True(cluster.Fits(0, Whole(2), ulong.MaxValue));

        // Everything free again: the allocated share is the other node's only, and a release is refused.
        cluster.SetFree(0, 10_000, 8_192, [1000, 1000, 1000, 1000]);
        Assert.Equal(1_000, cluster.AllocatedGpuMilli);
        Assert.Throws<InvalidOperationException>(() => cluster.Release(new Placement(0, Whole(1), [0])));
    }

    [Theory]
    [InlineData(-1, 0, new[] { 0, 0 })]
    [InlineData(10_001, 0, new[] { 0, 0 })]
    [InlineData(0, -1, new[] { 0, 0 })]
    [InlineData(0, 8_193, new[] { 0, 0 })]
    [InlineData(0, 0, new[] { 0, 1001 })]
    [InlineData(0, 0, new[] { -1, 0 })]
    [InlineData(0, 0, new[] { 0 })]
    [InlineData(0, 0, new[] { 0, 0, 0 })]
    public void SetFree_BadFigures_ThrowsAndChangesNothing(int cpu, int memory, int[] gpus)
    {
        var cluster = new ClusterCapacity([Node(2, cpu: 10_000, memory: 8_192, name: "a")]);
        cluster.Allocate(new Placement(0, Fraction(400), [1]));
        var before = Snapshot(cluster);
        var version = cluster.Version(0);

        Assert.Throws<ArgumentException>(() => cluster.SetFree(0, cpu, memory, gpus));
        Assert.Equal(before, Snapshot(cluster));
        Assert.Equal(version, cluster.Version(0));
    }

    [Fact]
    public void SetFree_UnknownNode_Throws()
    {
        var cluster = new ClusterCapacity([Node(2, name: "a")]);

        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.SetFree(1, 0, 0, [0, 0]));
    }
}

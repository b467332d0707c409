using Gpunet.Core.Scheduling;
using Gpunet.Core.Scheduling.Traces;
using static Gpunet.Core.Tests.Scheduling.Clusters;

namespace Gpunet.Core.Tests.Scheduling.Traces;

public sealed class TraceReplayTests
{
    private static readonly NodeSpec[] OneGpu = [Node(1)];

    // p0 holds the only GPU until t=5; p1 arrives at t=5 and wants it; p2 is CPU-only.
    private static readonly TracePod[] Pods =
    [
        new("p1", Whole(1), 5, null),
        new("p0", Whole(1), 0, 5),
        new("p2", CpuOnly(1_000), 6, null),
    ];

    [Fact]
    public void Run_WithDepartures_DepartureBeforeArrivalAtTheSameTimeFreesTheGpu()
    {
        var r = TraceReplay.Run(OneGpu, Pods, new BestFitPolicy(), departures: true);

        Assert.Equal((3, 0), (r.Placed, r.Failed));
        Assert.Equal(1.0, r.GpuDemandPlacedShare);
        Assert.Null(r.AllocatedShareAtFirstFailure);
    }

    [Fact]
    public void Run_WithoutDepartures_PodsHoldAndTheSecondGpuPodFailsOnAFullCluster()
    {
        var r = TraceReplay.Run(OneGpu, Pods, new BestFitPolicy(), departures: false);

        Assert.Equal((2, 1), (r.Placed, r.Failed));
        Assert.Equal(0.5, r.GpuDemandPlacedShare);
        Assert.Equal(1.0, r.AllocatedShareAtFirstFailure);
    }

    [Fact]
    public void Run_CpuOnlyPodFails_DoesNotCountAsFirstGpuFailure()
    {
        var r = TraceReplay.Run([Node(1, cpu: 1_000)], [new("c", CpuOnly(2_000), null, null)], new FgdPolicy(), departures: false);

        Assert.Equal(1, r.Failed);
        Assert.Null(r.AllocatedShareAtFirstFailure);
    }

    [Fact]
    public void Run_EveryPolicy_PlacedGpuDemandNeverExceedsTheCluster()
    {
        var nodes = new[] { Node(2), Node(4, "T4"), Node(8) };
        var pods = Enumerable.Range(0, 60).Select(i => new TracePod($"p{i}", (i % 4) switch
        {
            0 => Whole(1 + (i % 3)),
            1 => Fraction(100 + (i * 37 % 800)),
            2 => Whole(1, models: "T4"),
            _ => CpuOnly(500),
        }, i, null)).ToArray();

        foreach (var name in PlacementPolicies.Names)
        {
            var r = TraceReplay.Run(nodes, pods, PlacementPolicies.Create(name, 1, WorkloadDistribution.From(pods.Select(p => p.Request))), departures: false);
            Assert.True(r.GpuMilliPlaced <= 14_000, name);
            Assert.Equal(60, r.Decisions);
        }
    }
}

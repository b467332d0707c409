using Gpunet.Core.Scheduling;
using static Gpunet.Core.Tests.Scheduling.Clusters;

namespace Gpunet.Core.Tests.Scheduling;

public sealed class WorkloadDistributionTests
{
    [Fact]
    public void Observe_WithHalfLife_OldDemandWeighsHalfPerHalfLife()
    {
        var d = new WorkloadDistribution(halfLife: 100, byCpu: false);
        for (var i = 0; i < 100; i++)
            d.Observe(Whole(8));
        for (var i = 0; i < 100; i++)
            d.Observe(Whole(1));

        // The 8-GPU requests are 100 to 200 requests old: they weigh about half of the 1-GPU ones.
        var eight = d.Classes.ToArray().Single(k => k.GpuCount == 8).Weight;
        var one = d.Classes.ToArray().Single(k => k.GpuCount == 1).Weight;
        Assert.InRange(eight / one, 0.45, 0.55);
    }

    [Fact]
    public void Observe_WithoutHalfLife_CountsEveryRequestAlike()
    {
        var d = WorkloadDistribution.From([Whole(8), Whole(1), Whole(1), CpuOnly(1_000)]);

        Assert.Equal(0.25, d.Classes.ToArray().Single(k => k.GpuCount == 8).Weight, 12);
        Assert.Equal(0.5, d.Classes.ToArray().Single(k => k.GpuCount == 1).Weight, 12);
        Assert.Equal(0.25, d.CpuOnlyWeight, 12);
    }

    [Fact]
    public void Observe_ByCpu_TellsCpuHeavyTasksFromLightOnes()
    {
        var d = WorkloadDistribution.From([Whole(1, cpu: 2_000), Whole(1, cpu: 16_000), Whole(1, cpu: 17_000)], halfLife: 0, byCpu: true);

        Assert.Equal(2, d.KindCount);
        Assert.Contains(d.Classes.ToArray(), k => k.CpuMilli == 16_500 && k.Weight > 0.6);
    }
}

using Gpunet.Core.Verification;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Services.Verification;

/// <summary>The capacity work the coordinator asks of a real host: rectangular products (A n × k, B k × n) sized to
/// the fastest claimed card, capped at MaxInnerSize and MaxProducts, with the same work behind the host's deadline.</summary>
public sealed class CapacityTaskShapeTests
{
    [Theory]
    [InlineData(65_536)]
    [InlineData(4_096)]
    public async Task RealHost_GetsRectangularProductsOfTheLargestInnerSize_AndADeadlineForThatWork(int maxInner)
    {
        var (check, expect) = await FirstCapacityCheckAsync(o =>
        {
            o.Verification.MaxInnerSize = maxInner;
            o.Verification.EnforceRealGpuTiming = true;
        });
        var task = check.Capacity;

        // 10 s of an H100 is far more than 64 products of any allowed k: the caps decide, and the host computes what it is timed on.
        Assert.Equal((2048, maxInner, 64), (task.Size, task.InnerSize, task.Products));
        Assert.Equal((2048, maxInner, 64), (task.TimingSize, task.TimingInnerSize, task.TimingProducts));
        Assert.Equal((task.Size, task.InnerSize, task.Products, task.TimingInnerSize), (expect.Size, expect.InnerSize, expect.Products, expect.TimingInnerSize));
        // The deadline allows a card at a quarter of the claimed speed for this work, beyond the lead and the grace.
        var allowance = (CapacityTiming.ExpectedTime("H100-SXM5-80GB", 2048, maxInner, 64) * 4) + TimeSpan.FromSeconds(20) + TimeSpan.FromMilliseconds(300);
        Assert.Equal(allowance.TotalMilliseconds, check.DeadlineUnixMs - check.IssuedAtUnixMs, 1.0);
        Assert.False(task.TimingReportOnly);
    }

    [Fact]
    public async Task RealHost_ByDefault_GetsSquareProducts_WhoseTimingIsOnlyReported()
    {
        var task = (await FirstCapacityCheckAsync()).Check.Capacity;

        // Until the agent's kernel is measured on real cards, a real GPU's rows and count are checked, its time reported.
        Assert.True(task.TimingReportOnly);
        Assert.Equal((2048, 2048, 64), (task.Size, MatrixChallenge.EffectiveInnerSize(task.Size, task.InnerSize), task.Products));
        Assert.Equal((2048, 2048, 64), (task.TimingSize, MatrixChallenge.EffectiveInnerSize(task.TimingSize, task.TimingInnerSize), task.TimingProducts));
    }

    // The capacity check a new real host's checkers are assigned, and what its agent is told to expect.
    private static async Task<(Protocol.Assignment Check, Protocol.ExpectCheck Expect)> FirstCapacityCheckAsync(
        Action<Coordinator.CoordinatorOptions>? configure = null)
    {
        await using var c = await CheckFlowTests.StartAsync(configure);
        var checkers = await CheckFlowTests.CheckersAsync(c, 3);
        await using var host = await FakeAgent.ConnectAsync(c, "shape", probeEndpoint: "http://127.0.0.1:9");
        await c.Clock().AdvanceAsync(2 * SteppedClock.Step);
        var check = (await CheckFlowTests.AssignedAsync(checkers, CheckKind.Capacity)).Values.First();
        return (check, await CheckFlowTests.ExpectedCheckAsync(host, check.CheckId));
    }
}

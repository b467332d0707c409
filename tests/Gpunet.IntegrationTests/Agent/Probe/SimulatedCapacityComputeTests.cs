using Gpunet.Agent.Probe;
using Gpunet.Core.Verification;
using Microsoft.Extensions.Time.Testing;

namespace Gpunet.IntegrationTests.Agent.Probe;

public sealed class SimulatedCapacityComputeTests
{
    private static readonly AnnouncedCheck Check = new("chk_1", CheckKind.Capacity, [], DateTimeOffset.MaxValue,
        Size: 16, Products: 1, TimingSize: 8192, TimingProducts: 40);

    [Fact]
    public async Task ComputeAsync_SimulateActualSlowerCard_AnswersAfterTheClaimedModelsTime()
    {
        var clock = new FakeTimeProvider();
        using var cheat = new SimulatedCapacityCompute([(0, "H100-SXM5-80GB")], "RTX-4090-24GB", clock);
        var claimed = CapacityTiming.ExpectedTime("H100-SXM5-80GB", Check.TimingSize, Check.TimingProducts);
        var actual = CapacityTiming.ExpectedTime("RTX-4090-24GB", Check.TimingSize, Check.TimingProducts);
        Assert.True(actual > claimed);

        var answer = cheat.ComputeAsync(new MatrixChallenge(new byte[MatrixChallenge.SeedLength], 16), Check, CancellationToken.None);
        clock.Advance(claimed);
        Assert.False(answer.IsCompleted); // where an H100 would have answered, the cheat has not

        clock.Advance(actual - claimed);
        var committed = await answer;

        Assert.Single(committed);
    }

    [Fact]
    public async Task ComputeAsync_HonestSimulatedHost_AnswersAtItsOwnModelsTime()
    {
        var clock = new FakeTimeProvider();
        using var honest = new SimulatedCapacityCompute([(0, "H100-SXM5-80GB"), (1, "H100-SXM5-80GB")], null, clock);

        var answer = honest.ComputeAsync(new MatrixChallenge(new byte[MatrixChallenge.SeedLength], 16), Check, CancellationToken.None);
        clock.Advance(CapacityTiming.ExpectedTime("H100-SXM5-80GB", Check.TimingSize, Check.TimingProducts));
        var committed = await answer;

        Assert.Equal([0, 1], committed.Select(g => g.Gpu));
    }

    [Fact]
    public async Task ComputeAsync_RectangularTimingWork_AnswersAtTheRectangularWorksTime()
    {
        // Timed as a real H100 doing 3 products of 2,048 × 65,536: 32 times the square products' time.
        var clock = new FakeTimeProvider();
        using var honest = new SimulatedCapacityCompute([(0, "H100-SXM5-80GB")], null, clock);
        var check = Check with { TimingSize = 2048, TimingInnerSize = 65_536, TimingProducts = 3 };
        var rectangular = CapacityTiming.ExpectedTime("H100-SXM5-80GB", 2048, 65_536, 3);
        Assert.Equal(rectangular, honest.PerformingTime(check));

        var answer = honest.ComputeAsync(new MatrixChallenge(new byte[MatrixChallenge.SeedLength], 16), check, CancellationToken.None);
        clock.Advance(CapacityTiming.ExpectedTime("H100-SXM5-80GB", 2048, 3));
        Assert.False(answer.IsCompleted);
        clock.Advance(rectangular);
        Assert.Single(await answer);
    }
}

using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

/// <summary>Sizing a real GPU's rectangular capacity work (<see cref="CapacityTiming.WorkFor"/>) and timing it.</summary>
public sealed class CapacityWorkTests
{
    private static readonly CapacityTimingOptions Options = new();

    [Fact]
    public void Operations_Rectangular_AreTwoNSquaredK()
    {
        Assert.Equal(2.0 * 2048 * 2048 * 65_536 * 3, CapacityTiming.Operations(2048, 65_536, 3));
        Assert.Equal(2.0 * 2048 * 2048 * 2048 * 5, CapacityTiming.Operations(2048, 2048, 5));
        // 32 times the square product's work for the same 16 MiB of C.
        Assert.Equal(32, CapacityTiming.ExpectedTime("H100-SXM5-80GB", 2048, 65_536, 1) / CapacityTiming.ExpectedTime("H100-SXM5-80GB", 2048, 1));
    }

    [Fact]
    public void WorkFor_RealH100AtTheDefaults_IsTheCapOfLargestProducts()
    {
        // 10 s on the table's H100 is 1.4·10¹⁶ operations, 25,000 products of 2,048 × 65,536: the cap of 64 bites.
        var work = CapacityTiming.WorkFor("H100-SXM5-80GB", 2048, 65_536, 64, Options);
        Assert.Equal(new CapacityWork(65_536, 64), work);
    }

    [Theory]
    [InlineData("H100-SXM5-80GB", 100)]
    [InlineData("T4-16GB", 20)]
    [InlineData("B200-SXM-180GB", 5)]
    public void WorkFor_TargetWithinTheCaps_TheFewestProductsOfAStepMultipleKLastTheTarget(string model, int targetMs)
    {
        var options = Options with { TargetComputeTime = TimeSpan.FromMilliseconds(targetMs) };
        var work = CapacityTiming.WorkFor(model, 2048, 65_536, 1_000_000, options);
        Assert.Equal(0, work.InnerSize % CapacityTiming.InnerSizeStep);
        Assert.InRange(work.InnerSize, CapacityTiming.InnerSizeStep, 65_536);
        var expected = CapacityTiming.ExpectedTime(model, 2048, work.InnerSize, work.Products);
        // At least the target, and short of it by less than one step of k on every product.
        Assert.InRange(expected, options.TargetComputeTime, options.TargetComputeTime + CapacityTiming.ExpectedTime(model, 2048, CapacityTiming.InnerSizeStep, work.Products));
        // Fewer products would need a k beyond the cap.
        if (work.Products > 1)
            Assert.True(CapacityTiming.ExpectedTime(model, 2048, 65_536, work.Products - 1) < options.TargetComputeTime);
    }

    [Fact]
    public void WorkFor_TinyTarget_OneProductOfTheSmallestStep()
    {
        var work = CapacityTiming.WorkFor("T4-16GB", 2048, 65_536, 64, Options with { TargetComputeTime = TimeSpan.FromTicks(1) });
        Assert.Equal(new CapacityWork(CapacityTiming.InnerSizeStep, 1), work);
    }

    [Theory]
    [InlineData(2048, 65_537)]
    [InlineData(2048, 131_072)]
    [InlineData(16_384, 131_072 - 256)]
    public void WorkFor_MaxInnerSizeNotAStepMultipleOrBeyondTheShape_Refused(int size, int maxInner) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CapacityTiming.WorkFor("H100-SXM5-80GB", size, maxInner, 64, Options));

    [Fact]
    public void Judge_RectangularWork_TimedOnItsOperations()
    {
        var expected = CapacityTiming.ExpectedTime("H100-SXM5-80GB", 2048, 65_536, 64);
        var roundTrip = TimeSpan.FromMilliseconds(20);
        Assert.True(CapacityTiming.Judge("H100-SXM5-80GB", 2048, 65_536, 64, expected + roundTrip, roundTrip, Options).Passed);
        // The same answer time for the square work, 32 times less, is far too slow.
        Assert.False(CapacityTiming.Judge("H100-SXM5-80GB", 2048, 2048, 64, expected + roundTrip, roundTrip, Options).Passed);
    }
}

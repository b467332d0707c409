using Gpunet.Core.Economics;

namespace Gpunet.Core.Tests.Economics;

public sealed class VestingTrancheTests
{
    private static readonly TimeSpan Period = TimeSpan.FromDays(45);
    private static readonly DateTimeOffset Start = Economy.End();

    private static VestingTranche Tranche(decimal amount, decimal released = 0) =>
        new(Economy.Wallet(1), Economy.Epoch, Economy.Tokens(amount), Economy.Tokens(released), Start);

    [Fact]
    public void VestedAt_NineDaysOfFortyFive_TwentyPercent() =>
        Assert.Equal(Economy.Tokens(20), Tranche(100).VestedAt(Start.AddDays(9), Period));

    [Fact]
    public void VestedAt_BeforeStartAndAfterThePeriod_ClampedToNothingAndAll()
    {
        Assert.Equal(Economy.Tokens(0), Tranche(100).VestedAt(Start.AddDays(-1), Period));
        Assert.Equal(Economy.Tokens(0), Tranche(100).VestedAt(Start, Period));
        Assert.Equal(Economy.Tokens(100), Tranche(100).VestedAt(Start.AddDays(45), Period));
        Assert.Equal(Economy.Tokens(100), Tranche(100).VestedAt(Start.AddDays(400), Period));
    }

    [Fact]
    public void VestedAt_OneTick_FlooredToBaseUnits()
    {
        // 1 base unit per 45 days: nothing until the very end.
        var tranche = new VestingTranche(Economy.Wallet(1), 0, Economy.Units(1), Economy.Units(0), Start);

        Assert.Equal(Economy.Units(0), tranche.VestedAt(Start + Period - TimeSpan.FromTicks(1), Period));
        Assert.Equal(Economy.Units(1), tranche.VestedAt(Start + Period, Period));
    }

    [Fact]
    public void ReleasableAt_PartlyReleased_VestedLessReleased()
    {
        Assert.Equal(Economy.Tokens(10), Tranche(100, released: 10).ReleasableAt(Start.AddDays(9), Period));
        Assert.Equal(Economy.Tokens(0), Tranche(100, released: 30).ReleasableAt(Start.AddDays(9), Period));
    }

    [Fact]
    public void VestedAt_SlashedBelowWhatVested_NeverBelowReleased()
    {
        // 18 of 90 released, then slashed to 20: 20 % of 20 is 4, but 18 are gone already.
        var slashed = Tranche(90, released: 18) with { Amount = Economy.Tokens(20) };

        Assert.Equal(Economy.Tokens(18), slashed.VestedAt(Start.AddDays(9), Period));
        Assert.Equal(Economy.Tokens(0), slashed.ReleasableAt(Start.AddDays(9), Period));
        Assert.Equal(Economy.Tokens(2), slashed.ReleasableAt(Start.AddDays(45), Period));
    }
}

using Gpunet.Core.Economics;

namespace Gpunet.Core.Tests.Economics;

public sealed class EconomicsOptionsTests
{
    [Fact]
    public void Defaults_MissionNumbers()
    {
        var o = new EconomicsOptions();

        Assert.Equal(0.20m, o.ProtocolFeeShare);
        Assert.Equal(TimeSpan.FromDays(45), o.VestingPeriod);
        Assert.Equal(TimeSpan.FromDays(180), o.UnbondingPeriod);
        Assert.Equal(TimeSpan.FromDays(1), o.EpochLength);
        Assert.Equal(1.0m, o.StakeCoefficient);
        Assert.Equal(1000m, o.StakeK["H100"]);
        Assert.Equal(1200m, o.StakeK["h200"]);
        Assert.Equal(100m, o.DefaultStakeK);
        Assert.Equal(new Fraction(1, 3), o.DowntimeSlashFraction);
        Assert.Equal(Fraction.One, o.DeceitSlashFraction);
        Assert.Equal(0.5m, o.GenesisEmissionShare);
        Assert.Equal(TimeSpan.FromDays(1461), o.EmissionHalfLife);
        Assert.Equal(1m, o.CapacityRewardShare + o.DeliveryRewardShare + o.CheckerRewardShare);
        Assert.Equal(24, o.OnDemandHoldHours);
        Assert.Empty(o.Validate());
    }

    [Fact]
    public void Validate_BadNumbers_OneProblemEach()
    {
        var o = new EconomicsOptions
        {
            ProtocolFeeShare = 1.2m,
            CheckerRewardShare = 0.2m,
            VestingPeriod = TimeSpan.Zero,
            EpochLength = TimeSpan.FromHours(-1),
            StakeK = new Dictionary<string, decimal> { ["H100"] = -1m },
            DefaultStakeK = -5m,
            OnDemandHoldHours = 0,
        };

        var problems = o.Validate();

        Assert.Equal(7, problems.Count);
        Assert.Contains(problems, p => p.Contains("ProtocolFeeShare", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("sum to 1.1", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("VestingPeriod", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("EpochLength", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("StakeK[H100]", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("DefaultStakeK", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("OnDemandHoldHours", StringComparison.Ordinal));
    }

    [Fact]
    public void EpochOf_DailyEpochs_StartAtMidnightUtc()
    {
        var o = new EconomicsOptions();
        var noon = new DateTimeOffset(2024, 10, 4, 12, 0, 0, TimeSpan.FromHours(2));

        var epoch = o.EpochOf(noon);

        Assert.Equal(20_000, epoch); // 2024-10-04 is day 20,000 after 1970-01-01
        Assert.Equal(new DateTimeOffset(2024, 10, 4, 0, 0, 0, TimeSpan.Zero), o.EpochStart(epoch));
        Assert.Equal(19_999, o.EpochOf(o.EpochStart(epoch).AddTicks(-1)));
        Assert.Equal(-1, o.EpochOf(DateTimeOffset.UnixEpoch.AddTicks(-1)));
    }

    [Fact]
    public void Planner_InvalidOptions_RefusedListingTheProblems()
    {
        var e = Assert.Throws<ArgumentException>(() => new EpochSettlementPlanner(new EconomicsOptions { CapacityRewardShare = 0.5m }));
        Assert.Contains("sum to 0.9", e.Message, StringComparison.Ordinal);
    }
}

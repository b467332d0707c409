using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;
using Gpunet.Core.Sla;

namespace Gpunet.Core.Tests.Sla;

public sealed class HostSloRewardsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, true)]
    [InlineData(29 * 60 + 59, true)]
    [InlineData(30 * 60, false)]
    public void KeepsCapacityReward_OfflineAgainstTheThirtyMinuteLimit(long offline, bool keeps) =>
        Assert.Equal(keeps, HostSloRewards.KeepsCapacityReward(offline, TimeSpan.FromMinutes(30)));

    [Fact]
    public void KeepsCapacityReward_MonthlyAllowanceSpent_LosesItEvenOnAQuietDay()
    {
        var (start, length) = HostSloRewards.MonthOf(new DateTimeOffset(2026, 12, 17, 8, 0, 0, TimeSpan.Zero));
        var allowance = (long)(0.01 * length.TotalSeconds); // 31 days: 26,784 s, 7.44 h

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), start);
        Assert.True(HostSloRewards.KeepsCapacityReward(0, TimeSpan.FromMinutes(30), allowance, length, 0.99));
        Assert.False(HostSloRewards.KeepsCapacityReward(0, TimeSpan.FromMinutes(30), allowance + 1, length, 0.99));
        Assert.False(HostSloRewards.KeepsCapacityReward(30 * 60, TimeSpan.FromMinutes(30), 30 * 60, length, 0.99));
    }

    [Fact]
    public void OfflineSeconds_SuspectThenOfflineThenBack_CountsTheUnheardTimeOnly()
    {
        var offline = HostUptime.OfflineSeconds(
            [("a", HostState.Ready, Start), ("a", HostState.Suspect, Start.AddMinutes(10)), ("a", HostState.Offline, Start.AddMinutes(11)),
             ("a", HostState.Ready, Start.AddMinutes(41)), ("a", HostState.Paused, Start.AddMinutes(50)), ("b", HostState.Ready, Start)],
            Start, Start.AddDays(1));

        Assert.Equal(31 * 60, offline["a"]);
        Assert.False(offline.ContainsKey("b"));
    }
}

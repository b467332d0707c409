using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class MajorityPenaltyPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly MajorityPenaltyPolicy Policy = MajorityPenaltyPolicy.Default;

    [Fact]
    public void Suspensions_TwoIncorrectInAWeek_NoRewardsForAMonthFromTheSecond()
    {
        DateTimeOffset[] marks = [T0, T0.AddDays(6)];

        var s = Assert.Single(Policy.Suspensions(marks));

        Assert.Equal(new MajoritySuspension(T0.AddDays(6), T0.AddDays(36)), s);
        Assert.True(Policy.EarnsRewardsAt(marks, T0.AddDays(5)));
        Assert.False(Policy.EarnsRewardsAt(marks, T0.AddDays(20)));
        Assert.True(Policy.EarnsRewardsAt(marks, T0.AddDays(36)));
    }

    [Fact]
    public void Suspensions_TwoIncorrectEightDaysApart_NoSuspension() =>
        Assert.Empty(Policy.Suspensions([T0, T0.AddDays(8)]));

    [Fact]
    public void Suspensions_ThirdMarkWithinAWeekOfTheSecond_ExtendsIt()
    {
        var s = Assert.Single(Policy.Suspensions([T0.AddDays(5), T0, T0.AddDays(1)]));

        Assert.Equal(new MajoritySuspension(T0.AddDays(1), T0.AddDays(35)), s);
    }

    [Fact]
    public void Suspensions_LoneMarkDuringSuspension_DoesNotExtendIt() =>
        Assert.Equal([new MajoritySuspension(T0.AddDays(1), T0.AddDays(31))], Policy.Suspensions([T0, T0.AddDays(1), T0.AddDays(10)]));

    [Fact]
    public void Suspensions_OneMark_None() => Assert.Empty(Policy.Suspensions([T0]));

    // Another incorrect mark never gives a checker back a rewarded moment.
    [Property(MaxTest = 300)]
    public Property EarnsRewardsAt_OneMoreMark_NeverMoreRewarded() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Choose(0, 24 * 90)).ToArbitrary(), Gen.Choose(0, 24 * 90).ToArbitrary(), Gen.Choose(0, 24 * 120).ToArbitrary(),
            (hours, extra, atHour) =>
            {
                var marks = hours.Select(h => T0.AddHours(h)).ToList();
                var at = T0.AddHours(atHour);
                return Policy.EarnsRewardsAt(marks, at) || !Policy.EarnsRewardsAt([.. marks, T0.AddHours(extra)], at);
            });
}

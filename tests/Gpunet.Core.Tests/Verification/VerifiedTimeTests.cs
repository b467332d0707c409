using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Economics;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class VerifiedTimeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private const int Day = 86_400;

    private static DateTimeOffset At(int seconds) => T0.AddSeconds(seconds);

    private static UptimeStretch Up(int from, int until) => new(At(from), At(until));

    private static DecidedCheck Pass(int at) => new(At(at), MajorityOutcome.Passed);

    private static DecidedCheck Fail(int at) => new(At(at), MajorityOutcome.Failed);

    private static DecidedCheck Undecided(int at) => new(At(at), MajorityOutcome.Undecided);

    private static readonly UptimeStretch[] WholeDay = [Up(0, Day)];

    [Fact]
    public void Seconds_PassedBeforeTheDay_AllOfItsUptime() =>
        Assert.Equal(Day, VerifiedTime.Seconds(WholeDay, [Pass(-3600)], []));

    [Fact]
    public void Seconds_NeverCapacityChecked_Nothing() =>
        Assert.Equal(0, VerifiedTime.Seconds(WholeDay, [], [Pass(60), Pass(120)]));

    [Fact]
    public void Seconds_PassedAtNoon_OnlyTheAfternoon() =>
        Assert.Equal(Day / 2, VerifiedTime.Seconds(WholeDay, [Pass(Day / 2)], []));

    [Fact]
    public void Seconds_FailedAtSixAfterAPass_NothingAfterTheFailureUntilItPassesAgain() =>
        Assert.Equal(6 * 3600 + 6 * 3600, VerifiedTime.Seconds(WholeDay, [Pass(-10), Fail(6 * 3600), Pass(18 * 3600)], []));

    [Fact]
    public void Seconds_UndecidedCapacityCheck_ChangesNothing() =>
        Assert.Equal(Day, VerifiedTime.Seconds(WholeDay, [Pass(-10), Undecided(3600)], []));

    [Fact]
    public void Seconds_PassAndFailAtTheSameMoment_TheFailureStands() =>
        Assert.Equal(0, VerifiedTime.Seconds(WholeDay, [Fail(-10), Pass(-10)], []));

    [Fact]
    public void Seconds_LivenessFailedOnce_TakesFromThePreviousCheckToTheNextPass() =>
        // Checked every minute: the failure at 600 takes 540..660, two minutes.
        Assert.Equal(Day - 120, VerifiedTime.Seconds(WholeDay, [Pass(-10)], [Pass(480), Pass(540), Fail(600), Pass(660), Pass(720)]));

    [Fact]
    public void Seconds_LivenessFailedThreeTimesInARow_TakesTheWholeRun() =>
        Assert.Equal(Day - 240, VerifiedTime.Seconds(WholeDay, [Pass(-10)], [Pass(540), Fail(600), Fail(660), Undecided(690), Fail(720), Pass(780)]));

    [Fact]
    public void Seconds_LivenessFailedWithNoCheckBefore_TakesFromTheStart() =>
        Assert.Equal(Day - 120, VerifiedTime.Seconds(WholeDay, [Pass(-10)], [Fail(60), Pass(120)]));

    [Fact]
    public void Seconds_LivenessFailedAndNeverPassedAgain_TakesTheRest() =>
        Assert.Equal(3600, VerifiedTime.Seconds(WholeDay, [Pass(-10)], [Pass(3600), Fail(3660)]));

    [Fact]
    public void Seconds_OfflineStretchesAndAFailure_CountsOnlyVerifiedUptime() =>
        // Up 0..1000 and 2000..3000; capacity passed at 500; liveness failed at 2500 after a check at 2400, passed at 2600.
        Assert.Equal(500 + 800, VerifiedTime.Seconds([Up(0, 1000), Up(2000, 3000)], [Pass(500)], [Pass(2400), Fail(2500), Pass(2600)]));

    [Fact]
    public void Seconds_NothingTakenAway_TruncatesLikeUptime()
    {
        UptimeStretch[] ready = [new(T0, T0.AddSeconds(1.7)), new(T0.AddSeconds(2), T0.AddSeconds(3.9))];

        Assert.Equal(2, VerifiedTime.Seconds(ready, [Pass(-1)], []));
    }

    private static readonly Gen<DecidedCheck> Check = Gen.Zip(Gen.Choose(-Day, 2 * Day), Gen.Elements(Enum.GetValues<MajorityOutcome>()))
        .Select(x => new DecidedCheck(At(x.Item1), x.Item2));

    // Stretches in time order that do not overlap, from sorted cut points taken two at a time.
    private static readonly Gen<UptimeStretch[]> Ready = Gen.ListOf(Gen.Choose(0, Day)).Select(cuts =>
    {
        var sorted = cuts.Distinct().Order().ToArray();
        return Enumerable.Range(0, sorted.Length / 2).Select(i => Up(sorted[2 * i], sorted[(2 * i) + 1])).ToArray();
    });

    private static long Uptime(UptimeStretch[] ready) => ready.Sum(s => s.WholeSeconds);

    // Verification only ever takes uptime away.
    [Property(MaxTest = 300)]
    public Property Seconds_AnyChecks_BetweenZeroAndUptime() =>
        Prop.ForAll(Ready.ToArbitrary(), Gen.ListOf(Check).ToArbitrary(), Gen.ListOf(Check).ToArbitrary(), (ready, capacity, liveness) =>
        {
            var verified = VerifiedTime.Seconds(ready, capacity, liveness);
            return verified >= 0 && verified <= Uptime(ready);
        });

    // A host whose capacity stands verified throughout, and that failed no liveness check, is paid all its uptime.
    [Property(MaxTest = 200)]
    public Property Seconds_VerifiedThroughout_AllUptime() =>
        Prop.ForAll(Ready.ToArbitrary(), Gen.ListOf(Gen.Choose(-Day, 2 * Day)).ToArbitrary(), (ready, passes) =>
            VerifiedTime.Seconds(ready, [Pass(-Day - 1), .. passes.Select(Pass)], passes.Select(Pass)) == Uptime(ready));

    // One more failed check, of either kind, never gives a host back a verified second.
    [Property(MaxTest = 300)]
    public Property Seconds_OneMoreFailure_NeverMore() =>
        Prop.ForAll(Ready.ToArbitrary(), Gen.Zip(Gen.ListOf(Check), Gen.ListOf(Check)).ToArbitrary(), Gen.Zip(Gen.Choose(-Day, 2 * Day), Gen.Elements(true, false)).ToArbitrary(),
            (ready, checks, extra) =>
            {
                var (capacity, liveness) = checks;
                var (at, ofCapacity) = extra;
                var before = VerifiedTime.Seconds(ready, capacity, liveness);
                var after = ofCapacity ? VerifiedTime.Seconds(ready, [.. capacity, Fail(at)], liveness) : VerifiedTime.Seconds(ready, capacity, [.. liveness, Fail(at)]);
                return after <= before;
            });

    // Less uptime is never more verified time, and the order the checks come in does not matter.
    [Property(MaxTest = 200)]
    public Property Seconds_DroppingAStretchOrShufflingChecks_NeverMore() =>
        Prop.ForAll(Ready.ToArbitrary(), Gen.ListOf(Check).ToArbitrary(), Gen.ListOf(Check).ToArbitrary(), (ready, capacity, liveness) =>
        {
            var all = VerifiedTime.Seconds(ready, capacity, liveness);
            var fewer = ready.Length == 0 || VerifiedTime.Seconds(ready[1..], capacity, liveness) <= all;
            return fewer && VerifiedTime.Seconds(ready, [.. capacity.AsEnumerable().Reverse()], [.. liveness.AsEnumerable().Reverse()]) == all;
        });
}

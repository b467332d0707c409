using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Geography;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class PanelRulesTests
{
    private static readonly Address HostOperator = Address.Parse("0x" + new string('a', 40));
    private static readonly Address OtherOperator = Address.Parse("0x" + new string('b', 40));

    private static Address Checker(int id) => Address.Parse($"0x{id:x40}");

    private static readonly Address[] First = [Checker(1), Checker(2), Checker(3)];
    private static readonly Address[] Second = [.. Enumerable.Range(4, 6).Select(Checker)];

    private static MajorityReport Vote(Address who, MajorityVote vote) => new(who, vote, new Dictionary<string, double> { ["rttMs"] = 10 });

    private static MajorityReport Pass(Address who) => Vote(who, MajorityVote.Pass);

    private static MajorityReport Fail(Address who) => Vote(who, MajorityVote.Fail);

    [Fact]
    public void Escalates_CapacityTwoPassesOneFail_Escalates()
    {
        // Two lazy checkers' passes out-vote the honest fail on a first panel: not decided there.
        Assert.True(PanelRules.Escalates(CheckKind.Capacity, First, [Pass(First[0]), Pass(First[1]), Fail(First[2])]));
    }

    [Fact]
    public void Escalates_OnlyFailFromACheckerHeldBack_DecidesAtOnce()
    {
        // An always-fail checker no longer buys six more checkers' work on every capacity check it sits on.
        Assert.False(PanelRules.Escalates(CheckKind.Capacity, First, [Pass(First[0]), Pass(First[1]), Fail(First[2])],
            new HashSet<Address> { First[2] }));
    }

    [Fact]
    public void Escalates_AnotherCheckerFailsBesideOneHeldBack_Escalates()
    {
        Assert.True(PanelRules.Escalates(CheckKind.Capacity, First, [Pass(First[0]), Fail(First[1]), Fail(First[2])],
            new HashSet<Address> { First[2] }));
        // A held-back checker's pass splits as any pass does.
        Assert.True(PanelRules.Escalates(CheckKind.Capacity, First, [Fail(First[0]), Fail(First[1]), Pass(First[2])],
            new HashSet<Address> { First[2] }));
    }

    [Fact]
    public void Escalates_UnanimousCapacityPanel_DecidesAtOnce()
    {
        Assert.False(PanelRules.Escalates(CheckKind.Capacity, First, [Pass(First[0]), Pass(First[1]), Pass(First[2])]));
        Assert.False(PanelRules.Escalates(CheckKind.Capacity, First, [Fail(First[0]), Fail(First[1]), Fail(First[2])]));
        // One report missing, the others agreeing: no split either.
        Assert.False(PanelRules.Escalates(CheckKind.Capacity, First, [Pass(First[0]), Pass(First[2])]));
    }

    [Fact]
    public void Escalates_SplitWithAReportMissing_Escalates()
    {
        // One pass, one fail, one missing: undecided today, and a split: a second look instead of a plain retry.
        Assert.True(PanelRules.Escalates(CheckKind.Capacity, First, [Pass(First[0]), Fail(First[1])]));
    }

    [Fact]
    public void Escalates_LivenessAndServiceSplits_NeverEscalate()
    {
        // Reachability is per path: a split liveness vote is not a sign of a checker that did not look.
        Assert.False(PanelRules.Escalates(CheckKind.Liveness, First, [Pass(First[0]), Pass(First[1]), Fail(First[2])]));
        Assert.False(PanelRules.Escalates(CheckKind.Service, First, [Pass(First[0]), Fail(First[1]), Fail(First[2])]));
    }

    [Fact]
    public void Escalates_TheOtherVoteOnlyFromAReportThatDoesNotCount_DoesNotEscalate()
    {
        // A stranger's fail, or a checker's second report, cannot force a second panel on a host.
        var stranger = Checker(99);
        Assert.False(PanelRules.Escalates(CheckKind.Capacity, First, [Pass(First[0]), Pass(First[1]), Pass(First[2]), Fail(stranger)]));
        Assert.False(PanelRules.Escalates(CheckKind.Capacity, First, [Pass(First[0]), Pass(First[1]), Fail(First[1])]));
    }

    [Theory]
    [InlineData(3, 20, 6)]
    [InlineData(3, 6, 6)]
    [InlineData(3, 5, 4)]
    [InlineData(3, 2, 2)]
    [InlineData(3, 1, 0)]
    [InlineData(3, 0, 0)]
    [InlineData(5, 30, 10)]
    [InlineData(1, 9, 2)]
    public void SecondPanelSize_TwiceTheFirstOrTheLargestEvenNumberAvailable(int first, int available, int expected) =>
        Assert.Equal(expected, PanelRules.SecondPanelSize(first, available));

    [Property]
    public Property SecondPanelSize_BothPanelsTogetherAreAlwaysOdd() => Prop.ForAll(
        Gen.Choose(0, 10).Select(n => (2 * n) + 1).ToArbitrary(), Gen.Choose(0, 50).ToArbitrary(),
        (first, available) =>
        {
            var size = PanelRules.SecondPanelSize(first, available);
            return size == 0 || ((first + size) % 2 == 1 && size <= available && size <= 2 * first);
        });

    [Fact]
    public void DecideEscalated_LazyMajorityOnTheFirstPanel_HonestSecondPanel_Fails()
    {
        // The case that passed a cheat before: two lazy passes, one honest fail; six honest checkers fail it too.
        MajorityReport[] reports = [Pass(First[0]), Pass(First[1]), Fail(First[2]), .. Second.Select(Fail)];

        var r = PanelRules.DecideEscalated(First, Second, reports);

        Assert.Equal(MajorityOutcome.Failed, r.Outcome);
        Assert.Equal(5, r.Needed);
        Assert.Equal([First[0], First[1]], r.Minority);
        Assert.Contains(First[2], r.Agreeing);
    }

    [Fact]
    public void DecideEscalated_HonestHostOneFalseFail_Passes()
    {
        // An honest host one checker failed (a bad moment on its path): the second panel passes it.
        MajorityReport[] reports = [Pass(First[0]), Fail(First[1]), Pass(First[2]), .. Second.Select(Pass)];

        var r = PanelRules.DecideEscalated(First, Second, reports);

        Assert.Equal(MajorityOutcome.Passed, r.Outcome);
        Assert.Equal([First[1]], r.Minority);
    }

    [Fact]
    public void DecideEscalated_TooFewReports_Undecided()
    {
        // Five of nine needed; only four reports in, split: undecided, checked again like any check.
        var r = PanelRules.DecideEscalated(First, Second, [Pass(First[0]), Fail(First[1]), Fail(Second[0]), Pass(Second[1])]);

        Assert.Equal(MajorityOutcome.Undecided, r.Outcome);
    }

    [Fact]
    public void DecideEscalated_PanelsSharingACheckerOrAnOddSecondPanel_Refused()
    {
        Assert.Throws<ArgumentException>(() => PanelRules.DecideEscalated(First, [First[0], Second[0]], []));
        Assert.Throws<ArgumentException>(() => PanelRules.DecideEscalated(First, [.. Second.Take(5)], []));
    }

    [Fact]
    public void AssignSecondPanel_NeverAFirstPanelCheckerNorTheHostsOperator_TwiceTheFirst()
    {
        var candidates = Enumerable.Range(1, 12)
            .Select(i => new AssignmentCandidate(Checker(i), i == 12 ? HostOperator : OtherOperator, new LocationPoint(-60 + (10 * i), 10 * i),
                CountryCode.Parse(i % 2 == 0 ? "DE" : "US"), true, true))
            .ToList();

        for (ulong seed = 0; seed < 50; seed++)
        {
            var a = CheckerAssignmentRules.AssignSecondPanel(candidates, HostOperator, seed, First);

            Assert.True(a.Assigned);
            Assert.Equal(6, a.Chosen.Count);
            Assert.DoesNotContain(a.Chosen, c => First.Contains(c.Checker) || c.Checker == Checker(12));
        }
    }

    [Fact]
    public void AssignSecondPanel_OneOtherChecker_NotAssignedAndSaysWhy()
    {
        var candidates = Enumerable.Range(1, 4)
            .Select(i => new AssignmentCandidate(Checker(i), OtherOperator, new LocationPoint(10 * i, 10 * i), CountryCode.Parse("DE"), true, true))
            .ToList();

        var a = CheckerAssignmentRules.AssignSecondPanel(candidates, HostOperator, 1, First);

        Assert.False(a.Assigned);
        Assert.Equal(3, a.Excluded.Count(e => e.Reason == AssignmentExclusionReason.OnFirstPanel));
        Assert.Contains("(on the first panel)", a.Shortfall, StringComparison.Ordinal);
    }
}

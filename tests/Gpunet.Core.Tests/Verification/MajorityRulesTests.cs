using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class MajorityRulesTests
{
    private static readonly Address A = Address.Parse("0x" + new string('1', 40));
    private static readonly Address B = Address.Parse("0x" + new string('2', 40));
    private static readonly Address C = Address.Parse("0x" + new string('3', 40));
    private static readonly Address Stranger = Address.Parse("0x" + new string('9', 40));
    private static readonly Address[] Assigned = [A, B, C];

    private static MajorityReport Report(Address who, MajorityVote vote, double rttMs = 10) =>
        new(who, vote, new Dictionary<string, double> { ["rttMs"] = rttMs });

    [Fact]
    public void Decide_TwoPassOneFail_PassedAndDissenterInTheMinority()
    {
        var r = MajorityRules.Decide(Assigned, [Report(A, MajorityVote.Pass, 12), Report(B, MajorityVote.Fail), Report(C, MajorityVote.Pass, 20)]);

        Assert.Equal(MajorityOutcome.Passed, r.Outcome);
        Assert.Equal([A, C], r.Agreeing);
        Assert.Equal([B], r.Minority);
        Assert.Equal(12, r.Measured["rttMs"]);
    }

    [Fact]
    public void Decide_TwoFailOneMissing_FailedAndNobodyInTheMinority()
    {
        var r = MajorityRules.Decide(Assigned, [Report(A, MajorityVote.Fail), Report(C, MajorityVote.Fail)]);

        Assert.Equal(MajorityOutcome.Failed, r.Outcome);
        Assert.Empty(r.Minority);
        Assert.Equal([B], r.Missing);
    }

    [Fact]
    public void Decide_SplitWithOneMissing_UndecidedAndNobodyMarked()
    {
        var r = MajorityRules.Decide(Assigned, [Report(A, MajorityVote.Pass), Report(B, MajorityVote.Fail)]);

        Assert.Equal(MajorityOutcome.Undecided, r.Outcome);
        Assert.Empty(r.Minority);
        Assert.Empty(r.Agreeing);
        Assert.Equal([C], r.Missing);
    }

    [Fact]
    public void Decide_ReportFromUnassignedChecker_RejectedAndNotCounted()
    {
        var r = MajorityRules.Decide(Assigned, [Report(A, MajorityVote.Pass), Report(Stranger, MajorityVote.Pass)]);

        Assert.Equal(MajorityOutcome.Undecided, r.Outcome);
        Assert.Equal([new MajorityRejection(Stranger, MajorityRejectionReason.NotAssigned)], r.Rejected);
    }

    [Fact]
    public void Decide_CheckerReportsTwice_NeitherCounts()
    {
        var r = MajorityRules.Decide(Assigned, [Report(A, MajorityVote.Pass), Report(A, MajorityVote.Fail), Report(B, MajorityVote.Fail)]);

        Assert.Equal(MajorityOutcome.Undecided, r.Outcome);
        Assert.All(r.Rejected, x => Assert.Equal(MajorityRejectionReason.MoreThanOneReport, x.Reason));
        Assert.Equal([A, C], r.Missing);
    }

    [Fact]
    public void Decide_EvenAssignment_Throws() =>
        Assert.Throws<ArgumentException>(() => MajorityRules.Decide([A, B], []));

    private static readonly Gen<(int N, (int Who, MajorityVote Vote, int Rtt)[] Reports)> ReportsGen =
        from n in Gen.Choose(0, 3)
        from reports in Gen.ArrayOf(
            from who in Gen.Choose(0, (2 * n) + 2)
            from vote in Gen.Elements(MajorityVote.Pass, MajorityVote.Fail)
            from rtt in Gen.Choose(1, 300)
            select (who, vote, rtt))
        select (n, reports);

    private static (Address[] Assigned, List<MajorityReport> Reports) Build((int N, (int Who, MajorityVote Vote, int Rtt)[] Reports) s) =>
        (Enumerable.Range(1, (2 * s.N) + 1).Select(i => Address.Parse($"0x{i:x40}")).ToArray(),
         s.Reports.Select(r => Report(Address.Parse($"0x{r.Who + 1:x40}"), r.Vote, r.Rtt)).ToList());

    // The majority is symmetric in the order reports arrive.
    [Property(MaxTest = 300)]
    public Property Decide_ReportsInAnyOrder_SameResult() =>
        Prop.ForAll(ReportsGen.ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (s, shuffleSeed) =>
        {
            var (assigned, reports) = Build(s);
            var random = new Gpunet.Core.Scheduling.SeededRandom((ulong)shuffleSeed);
            var shuffled = reports.ToList();
            for (var i = shuffled.Count - 1; i > 0; i--)
            {
                var j = random.NextInt(i + 1);
                (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
            }

            var x = MajorityRules.Decide(assigned, reports);
            var y = MajorityRules.Decide(assigned, shuffled);
            return x.Outcome == y.Outcome && x.Agreeing.SequenceEqual(y.Agreeing) && x.Minority.SequenceEqual(y.Minority)
                && x.Missing.SequenceEqual(y.Missing) && x.Rejected.SequenceEqual(y.Rejected) && x.Measured.SequenceEqual(y.Measured);
        });

    // A decision has N+1 agreeing and accounts for every assigned checker exactly once (agreeing, incorrect or missing);
    // an undecided check marks nobody.
    [Property(MaxTest = 300)]
    public Property Decide_AnyReports_DecidedAccountsForEveryCheckerUndecidedMarksNobody() =>
        Prop.ForAll(ReportsGen.ToArbitrary(), s =>
        {
            var (assigned, reports) = Build(s);
            var r = MajorityRules.Decide(assigned, reports);
            if (r.Outcome == MajorityOutcome.Undecided)
                return r.Agreeing.Count == 0 && r.Minority.Count == 0 && r.Missing.All(assigned.Contains);
            var all = r.Agreeing.Concat(r.Minority).Concat(r.Missing).ToList();
            return r.Agreeing.Count >= s.N + 1 && all.Count == assigned.Length && all.ToHashSet().SetEquals(assigned);
        });
}

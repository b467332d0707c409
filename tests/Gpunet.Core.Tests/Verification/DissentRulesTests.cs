using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class DissentRulesTests
{
    private static readonly Address A = Address.Parse("0x" + new string('1', 40));
    private static readonly Address B = Address.Parse("0x" + new string('2', 40));
    private static readonly Address C = Address.Parse("0x" + new string('3', 40));
    private static readonly Address[] Assigned = [A, B, C];
    private static readonly CapacityTimingOptions Bands = new();
    private static readonly TimeSpan Expected = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(100);

    // One GPU's timing as a checker signs it; the limit follows from the round trip.
    private static MajorityReport Capacity(Address who, double answeredMs, bool passed, bool productCorrect = true, double roundTripMs = 100) =>
        new(who, passed ? MajorityVote.Pass : MajorityVote.Fail, new Dictionary<string, double> { ["rttMs"] = roundTripMs },
            [new CapacityGpuTiming(0, passed, productCorrect, TimeSpan.FromMilliseconds(answeredMs), Expected, TimeSpan.FromMilliseconds(roundTripMs))]);

    private static IReadOnlyList<DissentVerdict> Judge(string kind, params MajorityReport[] reports) =>
        DissentRules.Judge(kind, MajorityRules.Decide(Assigned, reports), reports, Bands);

    [Fact]
    public void Judge_BorderlineTimingPassAgainstAFailingMajority_NotMarked()
    {
        // A card just past the band (limit 10,930 ms at 100 ms of round trip): two checkers' runs land over it, one
        // checker's run and round trip land under it. Honest disagreement.
        var verdicts = Judge(CheckKind.Capacity, Capacity(A, 10_960, passed: false), Capacity(B, 10_990, passed: false), Capacity(C, 10_900, passed: true));

        var v = Assert.Single(verdicts);
        Assert.Equal(C, v.Checker);
        Assert.False(v.Marked);
    }

    [Fact]
    public void Judge_PassOfAHostAtHalfTheClaimedSpeed_Marked()
    {
        var verdicts = Judge(CheckKind.Capacity, Capacity(A, 20_100, passed: false), Capacity(B, 20_150, passed: false), Capacity(C, 10_100, passed: true));

        var v = Assert.Single(verdicts);
        Assert.True(v.Marked);
        Assert.Contains("GPU 0", v.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_PassByACheckerWhoseRoundTripTheHostInflated_NotMarked()
    {
        // A delayed-ping host: the two checkers that had seen it answer in 100 ms fail it; the third, seeing it for the
        // first time, judged on the held pings (3 s) and passed the same 12 s answer. It was fooled, not lazy.
        var verdicts = Judge(CheckKind.Capacity, Capacity(A, 12_100, passed: false), Capacity(B, 12_150, passed: false),
            Capacity(C, 12_120, passed: true, roundTripMs: 3_000));

        Assert.False(Assert.Single(verdicts).Marked);
    }

    [Fact]
    public void Judge_PassOfAFifthSpeedCardByAFooledChecker_RunsStrayByTheCardsOwnTime_NotMarked()
    {
        // A card at a fifth of the claimed speed (50 s of compute for 10 s claimed): runs 2.5 % apart are 1.25 s apart,
        // more than 8 % of the claimed 10 s, well within 8 % of its own 50 s. The fooled checker (held pings) saw the
        // faster run.
        var verdicts = Judge(CheckKind.Capacity, Capacity(A, 50_600, passed: false), Capacity(B, 50_550, passed: false),
            Capacity(C, 49_300, passed: true, roundTripMs: 40_000));

        Assert.False(Assert.Single(verdicts).Marked);
    }

    [Fact]
    public void Judge_PassWithoutTimingAgainstAMajorityThatTimedIt_Marked()
    {
        // What a lazy checker signs: pass, answered 0.
        var verdicts = Judge(CheckKind.Capacity, Capacity(A, 11_500, passed: false), Capacity(B, 11_600, passed: false), Capacity(C, 0, passed: true, roundTripMs: 0));

        Assert.True(Assert.Single(verdicts).Marked);
    }

    [Fact]
    public void Judge_PassOfAHostFailedOnItsRowsInTime_NotMarked()
    {
        // Each checker opens rows of its own: a host that made up a few rows passes one checker and fails others.
        var verdicts = Judge(CheckKind.Capacity, Capacity(A, 10_100, passed: false, productCorrect: false),
            Capacity(B, 10_150, passed: false, productCorrect: false), Capacity(C, 10_120, passed: true));

        Assert.False(Assert.Single(verdicts).Marked);
    }

    [Fact]
    public void Judge_FailAgainstAPassingMajority_NotMarkedHoweverSlowItsTiming()
    {
        // The host can answer one checker late: a failure is never proof against its checker.
        var verdicts = Judge(CheckKind.Capacity, Capacity(A, 10_100, passed: true), Capacity(B, 10_150, passed: true), Capacity(C, 30_000, passed: false));

        Assert.False(Assert.Single(verdicts).Marked);
    }

    [Theory]
    [InlineData(CheckKind.Liveness)]
    [InlineData(CheckKind.Service)]
    public void Judge_ReachabilityDissentEitherWay_NotMarked(string kind)
    {
        MajorityReport R(Address who, bool pass) => new(who, pass ? MajorityVote.Pass : MajorityVote.Fail, new Dictionary<string, double>());

        Assert.False(Assert.Single(Judge(kind, R(A, true), R(B, true), R(C, false))).Marked);
        Assert.False(Assert.Single(Judge(kind, R(A, false), R(B, false), R(C, true))).Marked);
    }

    [Fact]
    public void Judge_JitterBandOfOneOrMore_BoundsNothingSoMarksNoTimedPass()
    {
        MajorityReport[] reports = [Capacity(A, 20_100, passed: false), Capacity(B, 20_150, passed: false), Capacity(C, 10_100, passed: true)];

        var verdicts = DissentRules.Judge(CheckKind.Capacity, MajorityRules.Decide(Assigned, reports), reports, Bands with { JitterBand = 1 });

        Assert.False(Assert.Single(verdicts).Marked);
    }

    [Fact]
    public void Judge_Undecided_NobodyJudged()
    {
        Assert.Empty(Judge(CheckKind.Capacity, Capacity(A, 20_000, passed: false), Capacity(C, 10_000, passed: true)));
    }

    [Fact]
    public void Honeypot_EveryPassMarked_EveryFailNot()
    {
        var verdicts = DissentRules.Honeypot([Capacity(A, 10_100, passed: true), Capacity(B, 0, passed: false), Capacity(C, 10_000, passed: true)]);

        Assert.Equal([A, C], verdicts.Select(v => v.Checker));
        Assert.All(verdicts, v => Assert.True(v.Marked));
    }

    [Fact]
    public void CapacityGpuTiming_FromASignedLimit_RecoversTheAllowanceRoundTrip_AndWithoutOne_UsesTheMedian()
    {
        // limit = 10 s × 1.08 + 40 ms × 1.3
        var signed = new CheckReportStatement.Gpu(0, true, true, 10_500_000, 10_000_000, 10_852_000);

        Assert.Equal(40, CapacityGpuTiming.Of(signed, 90_000, Bands).AllowanceRoundTrip.TotalMilliseconds, 3);
        Assert.Equal(90, CapacityGpuTiming.Of(signed with { LimitMicros = 0 }, 90_000, Bands).AllowanceRoundTrip.TotalMilliseconds, 3);
    }

    // Any host (0.5 to 1.2 of the claimed speed, runs ±1 %), three honest checkers each 1 to 300 ms away, every round
    // trip ±30 % of the path's: whatever they vote, none of them is marked.
    [Property(MaxTest = 300)]
    public Property Judge_HonestCheckersOfOneHost_NeverMarked() => Prop.ForAll(
        Arb.From(from speed in Gen.Choose(500, 1200)
                 from rtts in Gen.Choose(1, 300).ArrayOf(3)
                 from jitters in Gen.Choose(-300, 300).ArrayOf(6)
                 from runs in Gen.Choose(-10, 10).ArrayOf(3)
                 select (speed, rtts, jitters, runs)),
        c =>
        {
            var compute = Expected / (c.speed / 1000.0);
            var reports = Assigned.Select((who, i) =>
            {
                var before = TimeSpan.FromMilliseconds(c.rtts[i] * (1 + (c.jitters[2 * i] / 1000.0)));
                var during = TimeSpan.FromMilliseconds(c.rtts[i] * (1 + (c.jitters[(2 * i) + 1] / 1000.0)));
                var answered = (compute * (1 + (c.runs[i] / 1000.0))) + during;
                var passed = answered <= (Expected * (1 + Bands.CardBand)) + (before * (1 + Bands.JitterBand));
                return Capacity(who, answered.TotalMilliseconds, passed, roundTripMs: before.TotalMilliseconds);
            }).ToArray();

            return Judge(CheckKind.Capacity, reports).All(v => !v.Marked);
        });

    private static MajorityReport Probe(Address who, bool passed) =>
        new(who, passed ? MajorityVote.Pass : MajorityVote.Fail, new Dictionary<string, double> { ["rttMs"] = passed ? 20 : 0 });

    private static IReadOnlyList<DissentVerdict> JudgeWith(string kind, FailDissentStanding standing, params MajorityReport[] reports) =>
        DissentRules.Judge(kind, MajorityRules.Decide(Assigned, reports), reports, Bands, new Dictionary<Address, FailDissentStanding> { [C] = standing });

    [Theory]
    [InlineData(CheckKind.Liveness)]
    [InlineData(CheckKind.Service)]
    [InlineData(CheckKind.Capacity)]
    public void Judge_FailByACheckerHeldBack_MarkedWithItsOperatorsAndShare(string kind)
    {
        var verdicts = JudgeWith(kind, new FailDissentStanding(kind, 40, 38, 7, HeldBack: true), Probe(A, true), Probe(B, true), Probe(C, false));

        var v = Assert.Single(verdicts);
        Assert.Equal(C, v.Checker);
        Assert.True(v.Marked);
        Assert.Contains("7 operators", v.Reason, StringComparison.Ordinal);
        Assert.Contains("38 of its 40", v.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CheckKind.Liveness)]
    [InlineData(CheckKind.Capacity)]
    public void Judge_FailByACheckerNotHeldBack_NotMarked(string kind)
    {
        // Four operators' hosts failed by it alone: one operator, or a few, can answer one checker wrong on purpose.
        var verdicts = JudgeWith(kind, new FailDissentStanding(kind, 4, 4, 4, HeldBack: false), Probe(A, true), Probe(B, true), Probe(C, false));

        Assert.False(Assert.Single(verdicts).Marked);
        Assert.False(Judge(kind, Probe(A, true), Probe(B, true), Probe(C, false)).Single().Marked);
    }

    [Fact]
    public void Judge_CapacityFailBackedByThePassersTimings_NotMarkedEvenHeldBack()
    {
        // A card 12 % slow: C saw the host's real round trip (40 ms) and fails it; A and B judged on held pings (400 ms)
        // and pass the answer they too measured after C's limit. Held back or not, C was right.
        MajorityReport[] reports = [Capacity(A, 11_260, passed: true, roundTripMs: 400), Capacity(B, 11_290, passed: true, roundTripMs: 400),
            Capacity(C, 11_240, passed: false, roundTripMs: 40)];

        var verdict = Assert.Single(JudgeWith(CheckKind.Capacity, new FailDissentStanding(CheckKind.Capacity, 40, 38, 7, HeldBack: true), reports));

        Assert.Equal(C, verdict.Checker);
        Assert.False(verdict.Marked);
        Assert.Contains("a timing fail backed by the passers' own measurements", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_LivenessPassAgainstAFailingMajority_NotMarkedEvenHeldBack()
    {
        // A partition can leave a host reachable from one checker's side only; the honeypots catch a lazy one.
        var verdicts = JudgeWith(CheckKind.Liveness, new FailDissentStanding(CheckKind.Liveness, 40, 38, 7, HeldBack: true),
            Probe(A, false), Probe(B, false), Probe(C, true));

        Assert.False(Assert.Single(verdicts).Marked);
    }
}

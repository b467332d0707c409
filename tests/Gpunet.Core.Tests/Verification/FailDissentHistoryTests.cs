using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class FailDissentHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly FailDissentPolicy Policy = FailDissentPolicy.Default;

    private static Address Operator(int id) => Address.Parse($"0x{0x0E00_0000 + id:x40}");

    // A check the two others passed and one honest checker failed, and an empty history per checker.
    private static (Address Honest, Address[] Others, MajorityResult Passed, Dictionary<Address, FailDissentHistory> Histories) OutVotedCheck()
    {
        var honest = Address.Parse($"0x{0x0C00_0001:x40}");
        var others = new[] { Address.Parse($"0x{0x0C00_0002:x40}"), Address.Parse($"0x{0x0C00_0003:x40}") };
        return (honest, others, new MajorityResult(MajorityOutcome.Passed, 2, others, [honest], [], [], new Dictionary<string, double>()), []);
    }

    private static FailDissentHistory Each(Dictionary<Address, FailDissentHistory> histories, Address a) =>
        histories.TryGetValue(a, out var h) ? h : histories[a] = new FailDissentHistory(Policy);

    [Fact]
    public void CountDecided_ACapacityFail_CountsOnlyOverBothPanelsOrOnceHeldBack_LivenessAlways()
    {
        // The honest checker that fails a cheat the rest of a first panel passed (fooled by held pings, a card near the
        // band's edge) is the minority of three, on hosts of many operators: counting that would hold it back for being right.
        var (honest, others, passed, histories) = OutVotedCheck();
        FailDissentHistory Of(Address a) => Each(histories, a);

        for (var i = 0; i < 10; i++)
            FailDissentHistory.CountDecided(CheckKind.Capacity, passed, Operator(i), Start.AddMinutes(i), Of, overBothPanels: false);
        var firstPanelsOnly = Of(honest).Standing(CheckKind.Capacity, Start.AddMinutes(10));
        Assert.Equal((0L, false), (firstPanelsOnly.FailDissents, firstPanelsOnly.HeldBack));
        Assert.Equal(10L, Of(others[0]).Standing(CheckKind.Capacity, Start.AddMinutes(10)).Reports);

        for (var i = 0; i < 5; i++)
            FailDissentHistory.CountDecided(CheckKind.Capacity, passed, Operator(i), Start.AddMinutes(20 + i), Of, overBothPanels: true);
        Assert.True(Of(honest).Standing(CheckKind.Capacity, Start.AddMinutes(25)).HeldBack, "out-voted by both panels on hosts of five operators");
        var held = FailDissentHistory.CountDecided(CheckKind.Capacity, passed, Operator(9), Start.AddMinutes(30), Of, overBothPanels: false);
        Assert.Equal(6L, held[honest].FailDissents);

        histories.Clear();
        for (var i = 0; i < 5; i++)
            FailDissentHistory.CountDecided(CheckKind.Liveness, passed, Operator(i), Start.AddMinutes(i), Of, overBothPanels: false);
        Assert.True(Of(honest).Standing(CheckKind.Liveness, Start.AddMinutes(5)).HeldBack, "liveness has no second panel");
    }

    [Fact]
    public void CountDecided_ACapacityFailBackedByThePassersTimings_IsAReportNotAFailDissent_OverBothPanelsOrHeldBack()
    {
        // Every host a delayed-ping cheat: both panels fooled, the honest checker out-voted on hosts of ten operators.
        // Its fails are backed (TimingFailBacking): counted as reports, never as fail dissents, so it is never held back.
        var (honest, _, passed, histories) = OutVotedCheck();
        FailDissentHistory Of(Address a) => Each(histories, a);

        for (var i = 0; i < 10; i++)
            FailDissentHistory.CountDecided(CheckKind.Capacity, passed, Operator(i), Start.AddMinutes(i), Of, overBothPanels: true, backed: new HashSet<Address> { honest });

        var standing = Of(honest).Standing(CheckKind.Capacity, Start.AddMinutes(10));
        Assert.Equal((10L, 0L, 0, false), (standing.Reports, standing.FailDissents, standing.Operators, standing.HeldBack));

        // Held back on fails of its own making, its backed fails still do not count, unlike its other ones.
        for (var i = 0; i < 5; i++)
            Of(honest).FailDissent(CheckKind.Capacity, Start.AddMinutes(20 + i), Operator(i));
        var held = FailDissentHistory.CountDecided(CheckKind.Capacity, passed, Operator(7), Start.AddMinutes(30), Of, overBothPanels: false,
            backed: new HashSet<Address> { honest });
        Assert.Equal((16L, 5L), (held[honest].Reports, held[honest].FailDissents));
        held = FailDissentHistory.CountDecided(CheckKind.Capacity, passed, Operator(7), Start.AddMinutes(31), Of, overBothPanels: false);
        Assert.Equal((17L, 6L), (held[honest].Reports, held[honest].FailDissents));
    }

    [Fact]
    public void Standing_AlwaysFailCheckerOnHostsOfFiveOperators_HeldBack()
    {
        var history = new FailDissentHistory(Policy);
        for (var i = 0; i < 5; i++)
            history.FailDissent(CheckKind.Capacity, Start.AddMinutes(i), Operator(i));

        var standing = history.Standing(CheckKind.Capacity, Start.AddMinutes(5));

        Assert.True(standing.HeldBack);
        Assert.Equal((5L, 5L, 5), (standing.Reports, standing.FailDissents, standing.Operators));
    }

    [Fact]
    public void Standing_FourOperatorsFailDissents_NotHeldBackUntilTheFifth()
    {
        var history = new FailDissentHistory(Policy);
        for (var i = 0; i < 4; i++)
            history.FailDissent(CheckKind.Capacity, Start.AddMinutes(i), Operator(i));
        Assert.False(history.Standing(CheckKind.Capacity, Start.AddMinutes(4)).HeldBack);

        history.FailDissent(CheckKind.Capacity, Start.AddMinutes(4), Operator(4));

        Assert.True(history.Standing(CheckKind.Capacity, Start.AddMinutes(4)).HeldBack);
    }

    [Property(MaxTest = 200)]
    public Property Standing_OneOperatorFramingAChecker_NeverHeldBack() => Prop.ForAll(
        Arb.From(from fails in Gen.Choose(1, 500)
                 from agreed in Gen.Choose(0, 50)
                 from operators in Gen.Choose(1, Policy.DistinctOperators - 1)
                 select (fails, agreed, operators)),
        c =>
        {
            // Up to K-1 operators answer this checker wrong on every check of every host they own, for days.
            var history = new FailDissentHistory(Policy);
            for (var i = 0; i < c.fails; i++)
                history.FailDissent(CheckKind.Capacity, Start.AddMinutes(i * 10), Operator(i % c.operators));
            history.Agreed(CheckKind.Capacity, Start, c.agreed);
            return !history.Standing(CheckKind.Capacity, Start.AddMinutes(c.fails * 10)).HeldBack;
        });

    [Property(MaxTest = 200)]
    public Property Standing_FailsBelowTheShare_NeverHeldBackHowEverManyOperators() => Prop.ForAll(
        Arb.From(from fails in Gen.Choose(5, 200)
                 from extra in Gen.Choose(1, 1_000)
                 select (fails, extra)),
        c =>
        {
            // An honest checker on a busy week: fails of many operators' hosts, but under a fifth of its reports.
            var agreed = (long)Math.Ceiling(c.fails / Policy.MinShare) - c.fails + c.extra;
            var history = new FailDissentHistory(Policy);
            history.Agreed(CheckKind.Liveness, Start, agreed);
            for (var i = 0; i < c.fails; i++)
                history.FailDissent(CheckKind.Liveness, Start.AddMinutes(i), Operator(i));
            var standing = history.Standing(CheckKind.Liveness, Start.AddMinutes(c.fails));
            return !standing.HeldBack && standing.Operators == c.fails && standing.Share < Policy.MinShare;
        });

    [Property(MaxTest = 200)]
    public Property Standing_FailsOfKOperatorsAtOrAboveTheShare_HeldBack() => Prop.ForAll(
        Arb.From(from k in Gen.Choose(2, 10)
                 from fails in Gen.Choose(0, 100)
                 from agreedPerMille in Gen.Choose(0, 1000)
                 select (k, fails: fails + k, agreedPerMille)),
        c =>
        {
            var policy = Policy with { DistinctOperators = c.k };
            // Agreements up to what keeps the share at the policy's least: fails / (fails + agreed) >= MinShare.
            var most = (long)Math.Floor((c.fails / policy.MinShare) - c.fails);
            var agreed = most * c.agreedPerMille / 1000;
            var history = new FailDissentHistory(policy);
            history.Agreed(CheckKind.Service, Start, agreed);
            for (var i = 0; i < c.fails; i++)
                history.FailDissent(CheckKind.Service, Start.AddSeconds(i), Operator(i % c.k));
            return history.Standing(CheckKind.Service, Start.AddSeconds(c.fails)).HeldBack;
        });

    [Fact]
    public void Standing_AWeekAfterTheLastFailDissent_NoLongerHeldBack()
    {
        var history = new FailDissentHistory(Policy);
        for (var i = 0; i < 6; i++)
            history.FailDissent(CheckKind.Liveness, Start.AddMinutes(i), Operator(i));
        Assert.True(history.Standing(CheckKind.Liveness, Start.AddDays(6)).HeldBack);

        // It passes what the others pass from then on: the window clears.
        history.Agreed(CheckKind.Liveness, Start.AddDays(7).AddHours(2), 100);

        var standing = history.Standing(CheckKind.Liveness, Start.AddDays(7).AddHours(2));
        Assert.False(standing.HeldBack);
        Assert.Equal((100L, 0L, 0), (standing.Reports, standing.FailDissents, standing.Operators));
    }

    [Fact]
    public void Standing_LivenessFailDissents_DoNotHoldBackItsCapacityFails()
    {
        var history = new FailDissentHistory(Policy);
        for (var i = 0; i < 10; i++)
            history.FailDissent(CheckKind.Liveness, Start.AddMinutes(i), Operator(i));
        history.Agreed(CheckKind.Capacity, Start, 3);

        Assert.True(history.Standing(CheckKind.Liveness, Start.AddMinutes(10)).HeldBack);
        Assert.False(history.Standing(CheckKind.Capacity, Start.AddMinutes(10)).HeldBack);
        Assert.Equal([CheckKind.Liveness, CheckKind.Capacity], history.Standings(Start.AddMinutes(10)).Select(s => s.Kind));
    }

    [Fact]
    public void Standing_ReportsArrivingOutOfOrder_CountTheSame()
    {
        var inOrder = new FailDissentHistory(Policy);
        var shuffled = new FailDissentHistory(Policy);
        var events = Enumerable.Range(0, 8).Select(i => (At: Start.AddHours(i * 3), Op: Operator(i % 6))).ToList();
        foreach (var e in events)
            inOrder.FailDissent(CheckKind.Capacity, e.At, e.Op);
        foreach (var e in events.AsEnumerable().Reverse())
            shuffled.FailDissent(CheckKind.Capacity, e.At, e.Op);

        var at = Start.AddDays(1);
        Assert.Equal(inOrder.Standing(CheckKind.Capacity, at), shuffled.Standing(CheckKind.Capacity, at));
    }

    [Theory]
    [InlineData(1, 0.2, 168)]
    [InlineData(5, 0, 168)]
    [InlineData(5, 1.5, 168)]
    [InlineData(5, 0.2, 0)]
    public void New_InvalidPolicy_RefusedWithTheReason(int operators, double share, int hours)
    {
        var e = Assert.Throws<ArgumentException>(() => new FailDissentHistory(new FailDissentPolicy(operators, share, TimeSpan.FromHours(hours))));

        Assert.Contains("must be", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FailDissent_UnknownKind_Refused() =>
        Assert.Throws<ArgumentException>(() => new FailDissentHistory(Policy).FailDissent("uptime", Start, Operator(1)));
}

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class TimingFailBackingTests
{
    private static readonly Address A = Address.Parse("0x" + new string('1', 40));
    private static readonly Address B = Address.Parse("0x" + new string('2', 40));
    private static readonly Address C = Address.Parse("0x" + new string('3', 40));
    private static readonly Address[] Assigned = [A, B, C];
    private static readonly CapacityTimingOptions Bands = new();
    private static readonly TimeSpan Expected = TimeSpan.FromSeconds(10);

    // One GPU's timing as a checker signs it: the vote follows from the answer and the allowance round trip, as the
    // checker judges it (expected × 1.08 + round trip × 1.3).
    private static MajorityReport Timed(Address who, double answeredMs, double roundTripMs, bool productCorrect = true)
    {
        var passed = productCorrect && TimeSpan.FromMilliseconds(answeredMs) <= Limit(roundTripMs);
        return new(who, passed ? MajorityVote.Pass : MajorityVote.Fail, new Dictionary<string, double> { ["rttMs"] = roundTripMs },
            [new CapacityGpuTiming(0, passed, productCorrect, TimeSpan.FromMilliseconds(answeredMs), Expected, TimeSpan.FromMilliseconds(roundTripMs))]);
    }

    private static TimeSpan Limit(double roundTripMs) =>
        (Expected * (1 + Bands.CardBand)) + (TimeSpan.FromMilliseconds(roundTripMs) * (1 + Bands.JitterBand));

    private static IReadOnlyDictionary<Address, string> Backed(params MajorityReport[] reports) =>
        TimingFailBacking.Backed(CheckKind.Capacity, MajorityRules.Decide(Assigned, reports), reports, Bands);

    [Fact]
    public void Backed_HonestCheckerOnTheRealRoundTrip_PassersOnHeldPingsMeasuredTheSameSlowness_Backed()
    {
        // A card 12 % slow (11.2 s for 10 s claimed). The checker that has seen the host answer in 40 ms fails it (limit
        // 10,852 ms); two that had not judged on the held pings (400 ms: limit 11,320 ms) and pass the same answer,
        // which they measured at 11,260 and 11,290 ms, after the first one's limit.
        var backed = Backed(Timed(A, 11_240, 40), Timed(B, 11_260, 400), Timed(C, 11_290, 400));

        var reason = Assert.Single(backed);
        Assert.Equal(A, reason.Key);
        Assert.Contains("GPU 0 answered in 11240 ms, over its limit of 10852 ms on a 40 ms round trip", reason.Value, StringComparison.Ordinal);
        Assert.Contains("2 of the 2 passing reports that timed it measured 11260 to 11290 ms", reason.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Backed_APasserOnTheSameAllowance_NotBacked()
    {
        // The same round trip, and that passer measured the answer in time: the host may have answered the one checker
        // late (which it can do to any checker it likes).
        Assert.Empty(Backed(Timed(A, 30_000, 100), Timed(B, 10_100, 100), Timed(C, 10_900, 400)));
    }

    [Fact]
    public void Backed_HalfThePassersMeasuredTheAnswerWithinTheFailersLimit_NotBacked()
    {
        // One of two passers saw the answer before the dissent's limit: it did not see the slowness the dissent failed.
        Assert.Empty(Backed(Timed(A, 11_240, 40), Timed(B, 10_840, 400), Timed(C, 11_290, 400)));
    }

    [Fact]
    public void Backed_MostPassersBehindIt_OneOnTheRealRoundTripCaughtAFasterRun_Backed()
    {
        // Over both panels: a card at the band's edge; two checkers on the real round trip (40 ms) split, the faster run
        // passing, and three fooled by held pings measured the answer after the failing one's limit.
        Address[] five = [.. Enumerable.Range(1, 5).Select(i => Address.Parse($"0x{i:x40}"))];
        MajorityReport[] reports = [Timed(five[0], 10_900, 40), Timed(five[1], 10_850, 40), Timed(five[2], 10_950, 400),
            Timed(five[3], 10_920, 400), Timed(five[4], 10_990, 400)];

        var backed = TimingFailBacking.Backed(CheckKind.Capacity, MajorityRules.Decide(five, reports), reports, Bands);

        Assert.Contains("3 of the 4 passing reports that timed it measured 10920 to 10990 ms", Assert.Single(backed).Value, StringComparison.Ordinal);
        Assert.Equal(five[0], backed.Single().Key);
    }

    [Fact]
    public void Backed_AFailOnTheRows_OrOneWithinItsOwnLimit_OrOneWithoutTimings_NotBacked()
    {
        Assert.Empty(Backed(Timed(A, 11_240, 40, productCorrect: false), Timed(B, 11_260, 400), Timed(C, 11_290, 400)));

        // A fail whose own figures are in time is no timing fail.
        MajorityReport inTime = new(A, MajorityVote.Fail, new Dictionary<string, double>(),
            [new CapacityGpuTiming(0, false, true, TimeSpan.FromMilliseconds(10_500), Expected, TimeSpan.FromMilliseconds(40))]);
        Assert.Empty(Backed(inTime, Timed(B, 11_260, 400), Timed(C, 11_290, 400)));

        MajorityReport untimed = new(A, MajorityVote.Fail, new Dictionary<string, double>());
        Assert.Empty(Backed(untimed, Timed(B, 11_260, 400), Timed(C, 11_290, 400)));
    }

    [Fact]
    public void Backed_PassersThatTimedNothing_BackNothing()
    {
        // Lazy passes (answered 0) are no measurement of the host.
        MajorityReport Lazy(Address who) => new(who, MajorityVote.Pass, new Dictionary<string, double>(),
            [new CapacityGpuTiming(0, true, true, TimeSpan.Zero, Expected, TimeSpan.FromMilliseconds(400))]);

        Assert.Empty(Backed(Timed(A, 11_240, 40), Lazy(B), Lazy(C)));
    }

    [Fact]
    public void Backed_AFailedCheckOrAnotherKind_Empty()
    {
        MajorityReport[] failed = [Timed(A, 11_240, 40), Timed(B, 11_260, 40), Timed(C, 11_290, 400)];
        Assert.Empty(Backed(failed));

        MajorityReport[] passed = [Timed(A, 11_240, 40), Timed(B, 11_260, 400), Timed(C, 11_290, 400)];
        Assert.Empty(TimingFailBacking.Backed(CheckKind.Liveness, MajorityRules.Decide(Assigned, passed), passed, Bands));
    }

    // A delayed-ping cheat (a card 0.5 to 0.92 of the claimed speed), an honest checker on its real round trip (1 to
    // 150 ms) and two fooled by held pings (each at least as far from the host, their allowance its round trip plus the
    // held delay): where the honest one fails it and the two pass it, its fail is backed.
    [Property(MaxTest = 500)]
    public Property Backed_DelayedPingCheat_HonestFailOutVotedByFooledCheckers_AlwaysBacked() => Prop.ForAll(
        Arb.From(from speed in Gen.Choose(500, 920)
                 from near in Gen.Choose(1, 150)
                 from farther in Gen.Choose(0, 300).ArrayOf(2)
                 from held in Gen.Choose(1, 3_000).ArrayOf(2)
                 select (speed, near, farther, held)),
        c =>
        {
            var compute = Expected.TotalMilliseconds / (c.speed / 1000.0);
            var honest = Timed(A, compute + c.near, c.near);
            var fooled = new[] { B, C }.Select((who, i) =>
            {
                var path = c.near + c.farther[i];
                return Timed(who, compute + path, path + c.held[i]);
            }).ToArray();
            if (honest.Vote != MajorityVote.Fail || fooled.Any(f => f.Vote != MajorityVote.Pass))
                return true;
            return Backed([honest, .. fooled]).ContainsKey(A);
        });

    // An honest host (within the card band, runs ±1 %) and two honest passers whose network during the check took less
    // than the band's spare (E × 1.08 less the host's compute): whatever the failing checker signs (any round trip from
    // zero, any answer), its fail is never backed. A checker that fails everything gains nothing from signing a small
    // allowance unless every passer's own network was that slow.
    [Property(MaxTest = 500)]
    public Property Backed_HonestHost_PassersWithinTheBandsSpare_NoFailBackedWhateverTheFailerSigns() => Prop.ForAll(
        Arb.From(from card in Gen.Choose(-40, 40)
                 from run in Gen.Choose(-10, 10).ArrayOf(2)
                 from spareShare in Gen.Choose(0, 999).ArrayOf(2)
                 from allowance in Gen.Choose(0, 2_000).ArrayOf(2)
                 from liarRoundTrip in Gen.Choose(0, 500)
                 from liarAnswer in Gen.Choose(0, 60_000)
                 select (card, run, spareShare, allowance, liarRoundTrip, liarAnswer)),
        c =>
        {
            var passers = new[] { B, C }.Select((who, i) =>
            {
                var compute = Expected.TotalMilliseconds * (1 + (c.card / 1000.0)) * (1 + (c.run[i] / 1000.0));
                var spare = (Expected.TotalMilliseconds * (1 + Bands.CardBand)) - compute;
                var network = spare * c.spareShare[i] / 1000.0;
                var report = Timed(who, compute + network, c.allowance[i]);
                return report with { Vote = MajorityVote.Pass, Gpus = [report.Gpus![0] with { Passed = true }] };
            }).ToArray();
            MajorityReport liar = new(A, MajorityVote.Fail, new Dictionary<string, double>(),
                [new CapacityGpuTiming(0, false, true, TimeSpan.FromMilliseconds(c.liarAnswer), Expected, TimeSpan.FromMilliseconds(c.liarRoundTrip))]);
            return Backed([liar, .. passers]).Count == 0;
        });
}

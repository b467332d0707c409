using System.Text.Json;
using Gpunet.Simulation.Verification;

namespace Gpunet.Core.Tests.Simulation;

/// <summary>The verification simulation (<c>gpunet sim</c>): deterministic per seed, no accusations without cheats, and
/// the cheats it plants really caught by the core's rules.</summary>
public sealed class VerificationSimulationTests
{
    private static readonly VerificationOptions Small = new() { Hosts = 24, Checkers = 9, Days = 0.1 };

    [Fact]
    public void Run_SameSeed_GivesTheSameReport()
    {
        var first = VerificationSimulation.Run(Small with { Seed = 5 });
        var second = VerificationSimulation.Run(Small with { Seed = 5 });

        Assert.Equal(JsonSerializer.Serialize(first), JsonSerializer.Serialize(second));
        Assert.NotEqual(JsonSerializer.Serialize(first), JsonSerializer.Serialize(VerificationSimulation.Run(Small with { Seed = 6 })));
    }

    [Fact]
    public void Run_NoCheatersNoSpoofersNoLazyCheckers_AccusesNobody()
    {
        var report = VerificationSimulation.Run(Small with { Cheaters = 0, LocationSpoofers = 0, LazyCheckers = 0, Days = 1, Hosts = 12 });

        Assert.Equal(0, report.Cheaters);
        Assert.Equal(0, report.Slashes);
        Assert.True(report.HonestChecks > 12 * 1_000, $"only {report.HonestChecks} checks of honest hosts were decided");
        Assert.True(report.FalseAccusationRate < 0.001, $"false accusations {report.FalseAccusationRate:P3}");
        Assert.Equal(0, report.HonestHostsLocationFlagged);
        Assert.Equal(0, report.HonestCheckersSuspended);
        Assert.Equal(0, report.HonestCheckersHeldBack);
        Assert.True(report.ChecksRun.Capacity >= 12, "every host has a capacity check at registration");
    }

    [Fact]
    public void Run_OnlyWeakerCards_CatchesEveryOneBelowTheCardBandAtItsFirstCheck()
    {
        var report = VerificationSimulation.Run(Small with
        {
            Hosts = 20, Cheaters = 1, LocationSpoofers = 0, LazyCheckers = 0, CheatMix = [CheatKind.WeakerCard], Days = 0.05,
        });

        var slowEnough = report.WeakerCardsBySpeed.Where(b => b.To <= 1 / 1.08 + 1e-3).ToList();
        Assert.Equal(20, report.Cheaters);
        Assert.True(slowEnough.Sum(b => b.Hosts) > 0);
        Assert.Equal(slowEnough.Sum(b => b.Hosts), slowEnough.Sum(b => b.CaughtAtFirstCheck));
        // The target's figure is over the cards time can tell; those within the card band are counted apart, not dropped.
        var (beyond, within) = (report.WeakerCardsBeyondCardBand, report.WeakerCardsWithinCardBand);
        Assert.Equal(report.WeakerCardsBySpeed.Sum(b => b.Hosts), beyond.Hosts + within.Hosts);
        Assert.Equal(beyond.Hosts, beyond.CaughtAtFirstCheck);
        Assert.Equal(1.0, report.WeakerCardBeyondBandFirstCheckDetectionRate);
        Assert.True(report.Slashes >= slowEnough.Sum(b => b.Hosts), "each caught cheater is slashed for deceit");
        Assert.True(report.SlashedTokens > 0);
        Assert.True(report.Reputation.DetectedCheatersMean < 0.4, $"caught cheaters' reputation {report.Reputation.DetectedCheatersMean}");
    }

    [Fact]
    public void Run_OnlyWeakerCards_HonestCheckersWhoDisagreeOnBorderlineCardsAreNotMarked()
    {
        // Before DissentRules, every minority report was marked: in such runs most honest checkers were suspended
        // within the hour and later checks went undecided.
        var report = VerificationSimulation.Run(Small with
        {
            Hosts = 600, Checkers = 15, Cheaters = 1, LocationSpoofers = 0, LazyCheckers = 0, CheatMix = [CheatKind.WeakerCard], Days = 0.05,
        });

        Assert.True(report.ChecksRun.DissentsNotMarked > 0, "no checker disagreed: the run shows nothing");
        Assert.Equal(0, report.HonestCheckerIncorrectMarks);
        Assert.Equal(0, report.HonestCheckersSuspended);
        Assert.Equal(0, report.ChecksRun.Undecided);
    }

    [Fact]
    public void Run_DelayedPingCheaters_AllCaughtByTheirDailyCheck()
    {
        // At registration a checker has only the check's own (held) pings; by the daily check, a day after the first
        // (1.1 days covers every host's), each checker has seen the host answer liveness pings promptly. (A card
        // within the card band, which time cannot tell, would pass: this seed's 40 are all caught.)
        var report = VerificationSimulation.Run(Small with
        {
            Hosts = 40, Cheaters = 1, LocationSpoofers = 0, LazyCheckers = 0, CheatMix = [CheatKind.DelayedPing], Days = 1.1,
        });

        var delayed = Assert.Single(report.ByCheat);
        Assert.Equal((CheatKind.DelayedPing, 40), (delayed.Cheat, delayed.Hosts));
        Assert.Equal(40, delayed.Detected);
    }

    [Theory]
    [InlineData(0.96, false)] // a fast RTX 4090 unit: 0.96 / 0.901 = 1.065 of an L40S's time, inside the 8 % band
    [InlineData(1.00, true)] // a typical one: 1.11, beyond it even on a run 1 % fast
    public void BeyondCardBand_Rtx4090ClaimingAnL40S_DependsOnTheUnit(double cardFactor, bool beyond)
    {
        var host = new SimulatedHost
        {
            Index = 0, Id = "h0", Operator = VerificationWorld.AddressOf(1), TrueAt = new(50, 8), DeclaredAt = new(50, 8),
            ClaimedModel = "L40S-48GB", ActualModel = "RTX-4090-24GB", CardFactors = [cardFactor], Cheat = CheatKind.WeakerCard,
            Speed = 660.6 / 733, Outages = Outages.None, RegisteredMinute = 0,
        };

        Assert.Equal(beyond, CapacityRound.BeyondCardBand(host, new VerificationOptions().TimingOptions()));
    }

    [Fact]
    public void Run_LazyCheckersAndHoneypots_SuspendsTheLazyWithinADay()
    {
        var report = VerificationSimulation.Run(Small with { Checkers = 10, LazyCheckers = 0.2, Honeypots = 0.01, Days = 1, Hosts = 10 });

        Assert.Equal(2, report.LazyCheckers);
        Assert.Equal(2, report.LazyCheckersCaughtWithinADay);
    }

    [Fact]
    public void Run_WaryLazyCheckersOnAnHonestNetwork_PassTheDecoysTest_OnlyPlantedHostsCatchThem()
    {
        // Lazy checkers that fail the coordinator's decoys (which they tell from hosts) and pass everything else: on a
        // network with no cheater, no majority and no decoy ever marks them. Planted hosts, checked as any host, do.
        var options = Small with { Checkers = 10, LazyCheckers = 0, WaryLazyCheckers = 0.2, Cheaters = 0, LocationSpoofers = 0, Honeypots = 0.01, Days = 1, Hosts = 10 };

        var without = VerificationSimulation.Run(options);
        var with = VerificationSimulation.Run(options with { PlantedHosts = 1 });

        Assert.Equal((2, 0), (without.WaryLazyCheckers, without.WaryLazyCheckersCaught));
        Assert.True(without.ChecksRun.Honeypot > 0); // decoys were there, and told apart
        Assert.Equal((2, 2, 1), (with.WaryLazyCheckers, with.WaryLazyCheckersCaughtWithinADay, with.PlantedHosts));
        Assert.True(with.ChecksRun.Planted > 0);
        // Nobody honest is blamed, and the planted host is no honest host that failed.
        Assert.Equal((0L, 0, 0.0), (with.HonestCheckerIncorrectMarks, with.HonestCheckersSuspended, with.FalseAccusationRate));
        Assert.Contains("--wary-lazy-checkers 0.2 --planted-hosts 1", with.Replay, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Run_FailingCheckers_HeldBackAndSuspendedWithinADay_NoHonestCheckerTouched(bool capacityOnly)
    {
        var options = Small with { Checkers = 10, FailingCheckers = 0.2, FailingCapacityOnly = capacityOnly, LazyCheckers = 0, Cheaters = 0, Days = 1 };

        var report = VerificationSimulation.Run(options);
        var without = VerificationSimulation.Run(options with { FailDissentRule = false });

        Assert.Equal(2, report.FailingCheckers);
        Assert.Equal(2, report.FailingCheckersCaught);
        Assert.True(report.MeanHoursToCatchFailingChecker <= 24, $"caught after {report.MeanHoursToCatchFailingChecker} h");
        Assert.Equal((0, 0L, 0), (report.HonestCheckersSuspended, report.HonestCheckerIncorrectMarks, report.HonestCheckersHeldBack));
        // Without the rule nobody catches them, and each of their capacity fails costs a second panel.
        Assert.Equal(0, without.FailingCheckersCaught);
        Assert.True(report.ChecksRun.Escalated.Total < without.ChecksRun.Escalated.Total,
            $"{report.ChecksRun.Escalated.Total} escalations with the rule, {without.ChecksRun.Escalated.Total} without");
    }

    [Fact]
    public void Run_InvalidOptions_AreRefusedNamingTheFlag()
    {
        var e = Assert.Throws<ArgumentException>(() => VerificationSimulation.Run(Small with { Cheaters = 0.8, LocationSpoofers = 0.5 }));

        Assert.Contains("--cheaters and --location-spoofers", e.Message, StringComparison.Ordinal);
        var checkers = Assert.Throws<ArgumentException>(() => VerificationSimulation.Run(Small with { LazyCheckers = 0.6, FailingCheckers = 0.5 }));
        Assert.Contains("--lazy-checkers, --failing-checkers and --wary-lazy-checkers", checkers.Message, StringComparison.Ordinal);
        Assert.Contains("--planted-hosts", Assert.Throws<ArgumentException>(() => VerificationSimulation.Run(Small with { PlantedHosts = 101 })).Message,
            StringComparison.Ordinal);
    }
}

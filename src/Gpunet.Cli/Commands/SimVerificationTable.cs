using System.Globalization;
using Gpunet.Simulation.Verification;
using Spectre.Console;

namespace Gpunet.Cli.Commands;

/// <summary>The table <c>gpunet sim</c> prints.</summary>
internal static class SimVerificationTable
{
    public static Table For(VerificationReport r, double seconds)
    {
        var o = r.Options;
        var t = new Table().RoundedBorder().HideHeaders()
            .Title($"[bold]gpunet sim[/]: seed {o.Seed}, {o.Hosts:N0} hosts, {o.Checkers} checkers, {r.SimulatedHours:0.#} simulated hours in {seconds:0.0} s")
            .AddColumns("", "");
        var c = r.ChecksRun;
        Row(t, "checks", $"{c.Liveness:N0} liveness, {c.Capacity:N0} capacity, {c.Honeypot:N0} honeypots; {c.Reports:N0} reports, {c.Reassigned:N0} reassigned, {c.Undecided:N0} undecided, {c.DissentsNotMarked:N0} dissents not marked (could be honest; {c.BackedTimingFails:N0} of them capacity fails backed by the passers' own timings)");
        Row(t, "escalations", $"{c.Escalated.Total:N0} split capacity panels sent to a second ({c.EscalationsPerDay:0.##} a day); {c.SplitsHeldBack:N0} splits by held-back checkers' fails alone decided at once");
        Row(t, "detectionRate", $"{Pct(r.DetectionRate)} of {r.Cheaters} cheaters ({r.CheatersDetected} caught), mean {Hours(r.MeanHoursToDetection)} after registration");
        foreach (var k in r.ByCheat)
            Row(t, "  " + k.Cheat, $"{k.Detected}/{k.Hosts} caught, mean {Hours(k.MeanHoursToDetection)}; {k.CaughtAtFirstCapacityCheck} at their first capacity check");
        Row(t, "weaker cards, first check", $"{Pct(r.WeakerCardFirstCheckDetectionRate)} caught at their first capacity check");
        Row(t, "  beyond the card band", $"{Pct(r.WeakerCardBeyondBandFirstCheckDetectionRate)} ({r.WeakerCardsBeyondCardBand.CaughtAtFirstCheck}/{r.WeakerCardsBeyondCardBand.Hosts})");
        Row(t, "  within the card band", $"{Pct(r.WeakerCardsWithinCardBand.FirstCheckDetectionRate)} ({r.WeakerCardsWithinCardBand.CaughtAtFirstCheck}/{r.WeakerCardsWithinCardBand.Hosts}): the band lets them pass on time");
        foreach (var b in r.WeakerCardsBySpeed)
            Row(t, string.Create(CultureInfo.InvariantCulture, $"  speed {b.From:0.###}-{b.To:0.###} of claimed"), $"{b.CaughtAtFirstCheck}/{b.Hosts}");
        Row(t, "falseAccusationRate", $"{Pct(r.FalseAccusationRate)}: {r.HonestChecksFailed:N0} of {r.HonestChecks:N0} checks of honest hosts failed while up ({r.HonestCapacityChecksFailed} capacity; {r.HonestHostsSlashed} honest hosts slashed)");
        Row(t, "locationSpoofersCaught", $"{r.LocationSpoofersCaught}/{r.LocationSpoofers} ({Pct(r.LocationSpoofersCaughtRate)}); {Pct(r.SpoofersFlaggedAtFirstCheckRate)} at their first check; {r.HonestHostsLocationFlagged} honest places flagged");
        foreach (var b in r.SpoofersByDistance)
            Row(t, string.Create(CultureInfo.InvariantCulture, $"  {b.FromKm:N0}-{b.ToKm:N0} km off"), $"{b.Flagged}/{b.Spoofers} flagged ({b.FlaggedAtFirstCheck} at the first check)");
        Row(t, "lazyCheckersCaught", $"{r.LazyCheckersCaught}/{r.LazyCheckers}, mean {Hours(r.MeanHoursToCatchLazyChecker)} after the start, {r.LazyCheckersCaughtWithinADay} within a day");
        if (r.WaryLazyCheckers > 0 || r.PlantedHosts > 0)
            Row(t, "waryLazyCheckersCaught", $"{r.WaryLazyCheckersCaught}/{r.WaryLazyCheckers}, mean {Hours(r.MeanHoursToCatchWaryLazyChecker)} after the start, {r.WaryLazyCheckersCaughtWithinADay} within a day; {r.PlantedHosts} planted hosts, {c.Planted:N0} checks of them");
        Row(t, "failingCheckersCaught", $"{r.FailingCheckersCaught}/{r.FailingCheckers}, mean {Hours(r.MeanHoursToCatchFailingChecker)} after the start");
        Row(t, "honest checkers", $"{r.HonestCheckerIncorrectMarks:N0} incorrect marks, {r.HonestCheckersSuspended} suspended, {r.HonestCheckersHeldBack} held back");
        Row(t, "slashes", $"{r.Slashes} deceit slashes, {r.SlashedTokens:N0} tokens");
        var p = r.Reputation;
        Row(t, "reputation", $"honest mean {Num(p.HonestMean)} (min {Num(p.HonestMin)}), caught cheaters {Num(p.DetectedCheatersMean)}, uncaught {Num(p.UndetectedCheatersMean)}, spoofers {Num(p.SpoofersMean)}");
        Row(t, "replay", r.Replay);
        return t;
    }

    private static void Row(Table t, string name, string value) => t.AddRow(Markup.Escape(name), Markup.Escape(value));

    private static string Pct(double? v) => v is { } x ? x.ToString("0.###%", CultureInfo.InvariantCulture) : "-";

    private static string Hours(double? v) => v is { } x ? x.ToString("0.##", CultureInfo.InvariantCulture) + " h" : "-";

    private static string Num(double? v) => v is { } x ? x.ToString("0.###", CultureInfo.InvariantCulture) : "-";
}

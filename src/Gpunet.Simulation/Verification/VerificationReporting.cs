using System.Globalization;
using Gpunet.Core.Verification;

namespace Gpunet.Simulation.Verification;

/// <summary>Turns a finished run into its report.</summary>
internal static class VerificationReporting
{
    /// <summary>Mean minutes a host is idle between leases, and a lease lasts (the reputation's lease completion).</summary>
    private const long MeanIdleMinutes = 120, MeanLeaseMinutes = 180;

    // 0.8 – 0.9 and 0.9 – 1/1.08 apart: the second holds the one catalog pair (an RTX 4090 claiming an L40S, 0.901)
    // whose faster units fall inside the card band.
    private static readonly (double From, double To)[] SpeedBands = [(0, 0.5), (0.5, 0.8), (0.8, 0.9), (0.9, 1 / 1.08), (1 / 1.08, 1)];

    private static readonly (double From, double To)[] DistanceBands = [(1_000, 1_500), (1_500, 2_000), (2_000, 3_000), (3_000, 4_000)];

    public static VerificationReport Report(VerificationOptions o, VerificationWorld world, VerificationTally tally, int minutes, SimRandom random)
    {
        var cheaters = world.Hosts.Where(h => h.Cheat != CheatKind.None).ToList();
        var detected = cheaters.Where(h => h.DetectedMinute is not null).ToList();
        var byCheat = o.CheatMix.Distinct().Select(kind =>
        {
            var of = cheaters.Where(h => h.Cheat == kind).ToList();
            return new CheatDetection(kind, of.Count, of.Count(h => h.DetectedMinute is not null), MeanHoursToDetection(of),
                of.Count(h => h.CaughtAtFirstCapacityCheck == true));
        }).ToList();

        var weaker = cheaters.Where(h => h.Cheat == CheatKind.WeakerCard && h.CaughtAtFirstCapacityCheck is not null).ToList();
        var speedBands = SpeedBands.Select(b =>
        {
            var of = weaker.Where(h => h.Speed >= b.From && h.Speed < b.To).ToList();
            return new SpeedBand(Math.Round(b.From, 3), Math.Round(b.To, 3), of.Count, of.Count(h => h.CaughtAtFirstCapacityCheck == true));
        }).ToList();

        var timing = o.TimingOptions();
        var beyond = Group(weaker.Where(h => CapacityRound.BeyondCardBand(h, timing)));
        var within = Group(weaker.Where(h => !CapacityRound.BeyondCardBand(h, timing)));

        var spoofers = world.Hosts.Where(h => h.Spoofer).ToList();
        var judged = spoofers.Where(h => h.LocationFlaggedAtFirstCheck is not null).ToList();
        var distanceBands = DistanceBands.Select(b =>
        {
            var of = spoofers.Where(h => h.SpoofKm >= b.From && h.SpoofKm < b.To).ToList();
            return new DistanceBand(b.From, b.To, of.Count, of.Count(h => h.LocationFlaggedAtFirstCheck == true), of.Count(h => h.LocationFlaggedMinute is not null));
        }).ToList();

        var lazy = world.Checkers.Where(c => c.Lazy).ToList();
        var caught = lazy.Where(c => c.SuspendedFrom is not null).ToList();
        var hoursToCatch = caught.Select(c => (c.SuspendedFrom!.Value - VerificationSimulation.Start).TotalHours).ToList();
        var wary = world.Checkers.Where(c => c.Wary).ToList();
        var waryHours = wary.Where(c => c.SuspendedFrom is not null).Select(c => (c.SuspendedFrom!.Value - VerificationSimulation.Start).TotalHours).ToList();
        var honestCheckers = world.Checkers.Where(c => c.Honest).ToList();
        var failing = world.Checkers.Where(c => c.Failing).ToList();
        var failingHours = failing.Where(c => c.SuspendedFrom is not null)
            .Select(c => (c.SuspendedFrom!.Value - VerificationSimulation.Start).TotalHours).ToList();

        var escalated = new EscalatedChecks(tally.EscalatedPassed + tally.EscalatedFailed + tally.EscalatedUndecided, tally.EscalatedPassed,
            tally.EscalatedFailed, tally.EscalatedUndecided);
        var reputations = world.Hosts.Where(h => !h.Refused).ToDictionary(h => h, h => HostReputation.Of(TrackRecord(h, minutes, random)));
        var honestReputations = reputations.Where(p => p.Key.Honest).Select(p => p.Value).ToList();

        return new VerificationReport(
            o,
            Math.Round(minutes / 60.0, 2),
            new VerificationChecksRun(tally.LivenessChecks, tally.CapacityChecks, tally.HoneypotChecks, tally.Reports, tally.Reassigned, tally.Undecided,
                tally.DissentsNotMarked, escalated, minutes == 0 ? 0 : Math.Round(escalated.Total / (minutes / 1440.0), 2), tally.SplitsWithoutSecondPanel, tally.SplitsHeldBack,
                tally.BackedTimingFails, tally.PlantedChecks),
            Rate(detected.Count, cheaters.Count) ?? 0,
            MeanHoursToDetection(detected),
            cheaters.Count,
            detected.Count,
            byCheat,
            Rate(weaker.Count(h => h.CaughtAtFirstCapacityCheck == true), weaker.Count),
            beyond.FirstCheckDetectionRate,
            beyond,
            within,
            speedBands,
            Rate(tally.HonestChecksFailed, tally.HonestChecks) ?? 0,
            tally.HonestChecks,
            tally.HonestChecksFailed,
            tally.HonestCapacityChecksFailed,
            world.Hosts.Count(h => h.Honest && h.CapacityFailed > 0),
            spoofers.Count,
            spoofers.Count(h => h.LocationFlaggedMinute is not null),
            Rate(spoofers.Count(h => h.LocationFlaggedMinute is not null), spoofers.Count),
            Rate(judged.Count(h => h.LocationFlaggedAtFirstCheck == true), judged.Count),
            distanceBands,
            world.Hosts.Count(h => !h.Spoofer && h.LocationFlaggedMinute is not null),
            lazy.Count,
            caught.Count,
            hoursToCatch.Count == 0 ? null : Math.Round(hoursToCatch.Average(), 2),
            hoursToCatch.Count(h => h <= 24),
            failing.Count,
            failingHours.Count,
            failingHours.Count == 0 ? null : Math.Round(failingHours.Average(), 2),
            wary.Count,
            waryHours.Count,
            waryHours.Count == 0 ? null : Math.Round(waryHours.Average(), 2),
            waryHours.Count(h => h <= 24),
            world.Hosts.Count(h => h.Planted),
            honestCheckers.Count(c => c.HeldBackFrom is not null),
            honestCheckers.Count(c => c.SuspendedFrom is not null),
            honestCheckers.Sum(c => (long)c.IncorrectMarks.Count),
            tally.Slashes,
            tally.SlashedTokens,
            new ReputationSummary(
                Mean(honestReputations),
                honestReputations.Count == 0 ? null : Math.Round(honestReputations.Min(), 4),
                Mean(reputations.Where(p => p.Key.Cheat != CheatKind.None && p.Key.DetectedMinute is not null).Select(p => p.Value)),
                Mean(reputations.Where(p => p.Key.Cheat != CheatKind.None && p.Key.DetectedMinute is null).Select(p => p.Value)),
                Mean(reputations.Where(p => p.Key.Spoofer).Select(p => p.Value))),
            Replay(o));
    }

    /// <summary>The command that replays a run of these options.</summary>
    public static string Replay(VerificationOptions o) => string.Create(CultureInfo.InvariantCulture,
        $"gpunet sim --hosts {o.Hosts} --checkers {o.Checkers} --cheaters {o.Cheaters} --location-spoofers {o.LocationSpoofers} --lazy-checkers {o.LazyCheckers} --days {o.Days} --seed {o.Seed} --jitter {o.Jitter} --honeypots {o.Honeypots}")
        + (o.FailingCheckers > 0 ? string.Create(CultureInfo.InvariantCulture, $" --failing-checkers {o.FailingCheckers}") : "")
        + (o.FailingCapacityOnly ? " --failing-capacity-only" : "")
        + (o.WaryLazyCheckers > 0 ? string.Create(CultureInfo.InvariantCulture, $" --wary-lazy-checkers {o.WaryLazyCheckers}") : "")
        + (o.PlantedHosts > 0 ? string.Create(CultureInfo.InvariantCulture, $" --planted-hosts {o.PlantedHosts}") : "")
        + (o.PlantedTrapShare != new VerificationOptions().PlantedTrapShare
            ? string.Create(CultureInfo.InvariantCulture, $" --planted-trap-share {o.PlantedTrapShare}") : "")
        + (o.FailDissentRule ? "" : " --without-fail-dissent-rule")
        + (o.OpenedRows != new VerificationOptions().OpenedRows ? string.Create(CultureInfo.InvariantCulture, $" --opened-rows {o.OpenedRows}") : "")
        + (o.CapacityComputeTime != new VerificationOptions().CapacityComputeTime
            ? string.Create(CultureInfo.InvariantCulture, $" --compute-seconds {o.CapacityComputeTime.TotalSeconds}") : "")
        + (o.AllowanceFloor != new VerificationOptions().AllowanceFloor
            ? string.Create(CultureInfo.InvariantCulture, $" --allowance-floor-ms {o.AllowanceFloor?.TotalMilliseconds ?? 0}") : "")
        + (o.PathStretchSpread > 0 ? string.Create(CultureInfo.InvariantCulture, $" --path-stretch-spread {o.PathStretchSpread}") : "")
        + (o.AssignSuspendedCheckers ? " --assign-suspended-checkers" : "")
        + (o.CheatMix.SequenceEqual(new VerificationOptions().CheatMix) ? "" : " --cheat-mix " + CheatKinds.Format(o.CheatMix));

    // The host's record at the end: its checks, and leases drawn over its time on the network, each interrupted when
    // an outage or a pause falls inside it.
    private static HostTrackRecord TrackRecord(SimulatedHost h, int minutes, SimRandom random)
    {
        long completed = 0, interrupted = 0;
        var t = h.RegisteredMinute + random.Exponential(MeanIdleMinutes);
        while (t < minutes)
        {
            var end = t + random.Exponential(MeanLeaseMinutes);
            if (h.Outages.Overlaps((int)t, (int)Math.Min(end, minutes)) || h.PausedSpells.Exists(p => p.From < end && t < p.Until))
                interrupted++;
            else if (end <= minutes)
                completed++;
            t = end + random.Exponential(MeanIdleMinutes);
        }

        return new HostTrackRecord(h.CapacityPassed, h.CapacityFailed, h.LivenessPassed, h.LivenessFailed, completed, interrupted);
    }

    private static WeakerCardGroup Group(IEnumerable<SimulatedHost> hosts)
    {
        var list = hosts.ToList();
        var caught = list.Count(h => h.CaughtAtFirstCapacityCheck == true);
        return new WeakerCardGroup(list.Count, caught, Rate(caught, list.Count));
    }

    private static double? MeanHoursToDetection(List<SimulatedHost> hosts)
    {
        var hours = hosts.Where(h => h.DetectedMinute is not null).Select(h => (h.DetectedMinute!.Value - h.RegisteredMinute) / 60.0).ToList();
        return hours.Count == 0 ? null : Math.Round(hours.Average(), 2);
    }

    private static double? Rate(long part, long whole) => whole == 0 ? null : Math.Round((double)part / whole, 6);

    private static double? Mean(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? null : Math.Round(list.Average(), 4);
    }
}

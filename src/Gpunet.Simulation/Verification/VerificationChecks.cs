using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;

namespace Gpunet.Simulation.Verification;

/// <summary>Runs checks as the coordinator and the checkers would, through the core's rules: assignment
/// (<see cref="CheckerAssignmentRules"/>), each checker's probe or capacity round, the majority
/// (<see cref="MajorityRules"/>) and its consequences (incorrect marks by <see cref="DissentRules"/>, deceit slashes,
/// pauses).</summary>
internal sealed class VerificationChecks(VerificationOptions options, VerificationWorld world, SimRandom random, VerificationTally tally)
{
    /// <summary>Assignments tried per check before it is left undecided.</summary>
    private const int Attempts = 3;

    /// <summary>Pings a checker sends before a capacity check (the checker's default, <c>CheckerOptions.Pings</c>).</summary>
    private const int PingsPerCheck = 5;

    /// <summary>A host paused by a failed capacity check is checked again this many minutes later.</summary>
    public const int RecheckMinutes = 360;

    private static readonly StakeTable Stakes = new(new EconomicsOptions());
    private static readonly Fraction DeceitSlash = new EconomicsOptions().DeceitSlashFraction;

    private readonly SimulatedNetwork _network = new(options);
    private readonly CapacityTimingOptions _timing = options.TimingOptions();
    private readonly Dictionary<Address, SimulatedChecker> _byAddress = world.Checkers.ToDictionary(c => c.Address);
    private AssignmentCandidate[] _candidates = [];

    /// <summary>The checkers the coordinator can assign this minute: connected ones, and suspended ones unless the run
    /// stops assigning them.</summary>
    public void StartMinute(int minute)
    {
        var at = VerificationSimulation.At(minute);
        _candidates = world.Checkers.Select(c => new AssignmentCandidate(c.Address, OperatorOf(c), c.At, c.Country,
            Licensed: options.AssignSuspendedCheckers || c.SuspendedFrom is not { } from || from > at,
            Connected: !c.Outages.IsDown(minute))).ToArray();
    }

    /// <summary>The liveness check of <paramref name="host"/> this minute.</summary>
    public void Liveness(SimulatedHost host, int minute)
    {
        if (host.Planted && random.Chance(options.PlantedTrapShare))
        {
            // A trap: the planted host does not answer it, and whoever passes it is marked.
            tally.PlantedChecks++;
            KnownBad(host, minute, liveness: true);
            return;
        }

        tally.LivenessChecks++;
        var up = !host.Outages.IsDown(minute);
        var (outcome, reports) = Check(host, minute, CheckKind.Liveness, checker => LivenessReport(checker, host, up, minute));
        if (outcome == MajorityOutcome.Passed)
        {
            host.LivenessPassed++;
            foreach (var r in reports.Where(r => r.Vote == MajorityVote.Pass))
            {
                var index = _byAddress[r.Checker].Index;
                var rtt = r.Measured["rttMs"];
                if (!host.MinRoundTrips.TryGetValue(index, out var min) || rtt < min)
                {
                    host.MinRoundTrips[index] = rtt;
                    host.RoundTripsChanged = true;
                }
            }
        }
        else if (outcome == MajorityOutcome.Failed)
        {
            host.LivenessFailed++;
        }

        CountHonest(host, outcome, up, capacity: false);
        MaybePlantHoneypot(world.DownHoneypot, minute);
    }

    /// <summary>A capacity check of <paramref name="host"/> (it is up): its outcome.</summary>
    public MajorityOutcome Capacity(SimulatedHost host, int minute)
    {
        tally.CapacityChecks++;
        var (outcome, _) = Check(host, minute, CheckKind.Capacity, checker => CapacityReport(checker, host, minute));
        if (outcome == MajorityOutcome.Undecided)
            return outcome;
        if (outcome == MajorityOutcome.Passed)
        {
            host.CapacityPassed++;
            host.CaughtAtFirstCapacityCheck ??= false;
            if (host.Paused)
            {
                host.Paused = false;
                host.PausedSpells.Add((host.PausedSince, minute));
            }
        }
        else
        {
            host.CapacityFailed++;
            host.CaughtAtFirstCapacityCheck ??= true;
            if (host.Cheat != CheatKind.None)
                host.DetectedMinute ??= minute;
            if (!host.Paused)
            {
                // Deceit: K × coefficient of every claimed GPU (EconomicsOptions.DeceitSlashFraction of the required stake).
                var due = DeceitSlash.Of(Stakes.RequiredStake(Enumerable.Repeat(host.ClaimedModel, host.CardFactors.Length)));
                tally.Slashes++;
                tally.SlashedTokens += (decimal)due.BaseUnits / Core.Ledger.TokenAmount.BaseUnitsPerToken;
                host.Paused = true;
                host.PausedSince = minute;
            }
        }

        CountHonest(host, outcome, up: true, capacity: true);
        MaybePlantHoneypot(world.SlowHoneypot, minute);
        return outcome;
    }

    /// <summary>The identity rules at a double-listed host's registration: the core's <see cref="GpuClaims"/> refuses a
    /// GPU another operator's host holds.</summary>
    public static bool RefusedAtRegistration(SimulatedHost host, SimulatedHost holder, int minute)
    {
        var now = VerificationSimulation.At(minute);
        var held = new GpuHolder("GPU-" + holder.Id + "-0", holder.Id, holder.Operator.Value, now, !holder.Outages.IsDown(minute));
        return GpuClaims.Decide(host.Operator.Value, [held], now, TimeSpan.FromSeconds(90)).Refused;
    }

    private (MajorityOutcome Outcome, List<MajorityReport> Reports) Check(SimulatedHost host, int minute, string kind,
        Func<SimulatedChecker, MajorityReport> report)
    {
        var at = VerificationSimulation.At(minute);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (attempt > 0)
                tally.Reassigned++;
            var assignment = CheckerAssignmentRules.Assign(_candidates, host.Operator, random.Bits());
            if (!assignment.Assigned)
                break;
            var panel = assignment.Chosen.Select(c => c.Checker).ToList();
            var reports = Reports(assignment, report);
            MajorityResult result;
            var escalated = false;
            if (Escalates(kind, host, panel, reports, at) is { } second)
            {
                reports.AddRange(Reports(second, report));
                result = PanelRules.DecideEscalated(panel, [.. second.Chosen.Select(c => c.Checker)], reports);
                tally.Escalated(result.Outcome);
                escalated = true;
            }
            else
            {
                result = MajorityRules.Decide(panel, reports);
            }

            var backed = TimingFailBacking.Backed(kind, result, reports, _timing);
            tally.BackedTimingFails += backed.Count;
            foreach (var dissent in DissentRules.Judge(kind, result, reports, _timing, CountDissents(kind, host, result, backed, at, escalated)))
            {
                if (dissent.Marked)
                    _byAddress[dissent.Checker].MarkIncorrect(at, honeypot: false);
                else
                    tally.DissentsNotMarked++;
            }
            if (result.Outcome != MajorityOutcome.Undecided)
                return (result.Outcome, reports);
        }

        tally.Undecided++;
        return (MajorityOutcome.Undecided, []);
    }

    // A passed check's reports, as the coordinator counts them (FailDissentHistory): the minority's are fail dissents on
    // the host's operator, but for the capacity fails the passers' own timings back (`backed`, TimingFailBacking). The
    // minority's standings with them, which DissentRules marks by; none otherwise.
    private Dictionary<Address, FailDissentStanding>? CountDissents(string kind, SimulatedHost host, MajorityResult result,
        IReadOnlyDictionary<Address, string> backed, DateTimeOffset at, bool overBothPanels)
    {
        if (!options.FailDissentRule)
            return null;
        var standings = FailDissentHistory.CountDecided(kind, result, host.Operator, at, c => _byAddress[c].Dissents, overBothPanels,
            backed.Keys.ToHashSet());
        foreach (var held in standings.Where(s => s.Value.HeldBack))
            _byAddress[held.Key].HeldBackFrom ??= at;
        return standings;
    }

    // Each chosen checker's report, less those lost on the way (missing: neither right nor wrong).
    private List<MajorityReport> Reports(CheckerAssignment assignment, Func<SimulatedChecker, MajorityReport> report)
    {
        var reports = new List<MajorityReport>(assignment.Chosen.Count);
        foreach (var chosen in assignment.Chosen)
        {
            if (!random.Chance(options.ReportLoss))
                reports.Add(report(_byAddress[chosen.Checker]));
        }

        tally.Reports += reports.Count;
        return reports;
    }

    // The second panel of a first panel whose reports split (PanelRules), as the coordinator draws it; null when they do
    // not split, or when too few other checkers can check (the first panel decides).
    private CheckerAssignment? Escalates(string kind, SimulatedHost host, List<Address> panel, List<MajorityReport> reports, DateTimeOffset at)
    {
        var heldBack = options.FailDissentRule ? panel.Where(c => _byAddress[c].Dissents.Standing(kind, at).HeldBack).ToHashSet() : [];
        if (!PanelRules.Escalates(kind, panel, reports, heldBack))
        {
            if (heldBack.Count > 0 && PanelRules.Escalates(kind, panel, reports))
                tally.SplitsHeldBack++;
            return null;
        }

        var second = CheckerAssignmentRules.AssignSecondPanel(_candidates, host.Operator, random.Bits(), panel);
        if (second.Assigned)
            return second;
        tally.SplitsWithoutSecondPanel++;
        return null;
    }

    // A honeypot beside this check, at the options' rate: whoever passes it is marked incorrect, whatever the majority.
    private void MaybePlantHoneypot(SimulatedHost honeypot, int minute)
    {
        if (!random.Chance(options.Honeypots))
            return;
        tally.HoneypotChecks++;
        KnownBad(honeypot, minute, liveness: honeypot == world.DownHoneypot);
    }

    // A check of a host known to be bad (a decoy or a planted host): whoever passes it is marked incorrect.
    private void KnownBad(SimulatedHost host, int minute, bool liveness)
    {
        var assignment = CheckerAssignmentRules.Assign(_candidates, host.Operator, random.Bits());
        foreach (var chosen in assignment.Chosen)
        {
            var checker = _byAddress[chosen.Checker];
            var report = liveness ? LivenessReport(checker, host, up: false, minute) : CapacityReport(checker, host, minute);
            tally.Reports++;
            if (DissentRules.Honeypot([report]).Count > 0)
                checker.MarkIncorrect(VerificationSimulation.At(minute), honeypot: true);
        }
    }

    private MajorityReport LivenessReport(SimulatedChecker checker, SimulatedHost host, bool up, int minute)
    {
        if (checker.Wary && host.Decoy)
            return Report(checker, MajorityVote.Fail, 0);
        if (checker.Lazy || checker.Wary)
            return Report(checker, MajorityVote.Pass, SimulatedNetwork.MadeUpRoundTripMs(checker, host));
        if (checker.Failing && !options.FailingCapacityOnly)
            return Report(checker, MajorityVote.Fail, 0);
        // Three pings before calling a live host down.
        var answered = up && !(random.Chance(options.ProbeLoss) && random.Chance(options.ProbeLoss) && random.Chance(options.ProbeLoss));
        if (!answered)
            return Report(checker, MajorityVote.Fail, 0);
        var rtt = _network.RoundTripMs(checker, host, random);
        checker.RoundTrips.Record(host.Id, TimeSpan.FromMilliseconds(rtt), VerificationSimulation.At(minute));
        return Report(checker, MajorityVote.Pass, rtt);
    }

    private MajorityReport CapacityReport(SimulatedChecker checker, SimulatedHost host, int minute)
    {
        if (checker.Failing || (checker.Wary && host.Decoy))
            return Report(checker, MajorityVote.Fail, 0);
        // The checker's pings before the check (a delayed-ping host slows its answers to them): it reports their
        // median, and judges the timing on the smallest round trip it has seen to the host within the window.
        var delay = host.Cheat == CheatKind.DelayedPing ? CapacityRound.PingDelayMs(host, options) : 0;
        var pings = new double[PingsPerCheck];
        for (var i = 0; i < pings.Length; i++)
            pings[i] = _network.RoundTripMs(checker, host, random) + delay;
        Array.Sort(pings);
        var median = pings[(pings.Length - 1) / 2];
        if (checker.Lazy || checker.Wary)
            return Report(checker, MajorityVote.Pass, median, CapacityRound.MadeUp(host, options, median));
        var allowance = RoundTripCap.Apply(checker.RoundTrips.Allowance(host.Id, TimeSpan.FromMilliseconds(pings[0]), VerificationSimulation.At(minute)),
            options.AllowanceFloor is { } floor ? RoundTripCap.For(checker.At, host.DeclaredAt, floor) : null);
        var (passed, gpus) = CapacityRound.Passes(host, options, allowance.TotalMilliseconds, _network.RoundTripMs(checker, host, random), random);
        return Report(checker, passed ? MajorityVote.Pass : MajorityVote.Fail, median, gpus);
    }

    private static MajorityReport Report(SimulatedChecker checker, MajorityVote vote, double rttMs, List<CapacityGpuTiming>? gpus = null) =>
        new(checker.Address, vote, new Dictionary<string, double> { ["rttMs"] = rttMs }, gpus);

    private void CountHonest(SimulatedHost host, MajorityOutcome outcome, bool up, bool capacity)
    {
        if (!host.Honest || outcome == MajorityOutcome.Undecided)
            return;
        tally.HonestChecks++;
        if (outcome == MajorityOutcome.Failed && up)
        {
            tally.HonestChecksFailed++;
            if (capacity)
                tally.HonestCapacityChecksFailed++;
        }
    }

    // Each checker is run by an operator of its own.
    private static Address OperatorOf(SimulatedChecker c) => VerificationWorld.AddressOf(0x0E4A_0000 + c.Index);
}

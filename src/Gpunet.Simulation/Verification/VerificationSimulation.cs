using Gpunet.Core.Verification;

namespace Gpunet.Simulation.Verification;

/// <summary>A seeded, deterministic simulation of verification (<c>gpunet sim</c>): hosts (some cheating on capacity,
/// identity or location), checkers (some lazy), honeypots, outages and network jitter, minute by minute on a simulated
/// clock, through the core's real rules. The same options give the same report.</summary>
/// <remarks>
/// <para>Every minute every registered host gets a liveness check (three checkers by <see cref="CheckerAssignmentRules"/>,
/// decided by <see cref="MajorityRules"/>): no sampling. Capacity checks run at registration, daily, at random times
/// (one a day on average, exponential gaps) and six hours after a failure while the host is paused; each honest checker
/// really multiplies, commits and verifies (<see cref="CapacityRound"/>). A capacity check due while the host is down
/// waits until it is up.</para>
/// <para>Location: the round trips of the checkers in each passed liveness check's majority feed the smallest round trip
/// per checker; <see cref="LocationRoundTrips.Evaluate"/> judges the declared place after the first check and then at
/// most hourly while the round trips change. Identity: a double-listed GPU is refused at registration by the core's
/// <c>GpuClaims</c>; a cloned fingerprint is flagged at the first minute its clone and the original are live at once
/// (<see cref="FingerprintSightings"/>, a stand-in for the coordinator's rule).</para>
/// </remarks>
public static class VerificationSimulation
{
    /// <summary>The simulated clock's start (that of <c>gpunet sim chaos</c>).</summary>
    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(ChaosSimulation.StartMs);

    /// <summary>Minutes between location verdicts of one host while its round trips change.</summary>
    private const int LocationEveryMinutes = 60;

    /// <summary>Runs <paramref name="options"/>; <paramref name="progress"/> hears the simulated minutes done, every hour.</summary>
    /// <exception cref="ArgumentException">The options are invalid (the message lists why).</exception>
    public static VerificationReport Run(VerificationOptions options, IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
            throw new ArgumentException(string.Join("; ", errors), nameof(options));

        var minutes = TotalMinutes(options);
        var random = new SimRandom(options.Seed);
        var world = VerificationWorld.Build(options, random, minutes);
        var tally = new VerificationTally();
        var checks = new VerificationChecks(options, world, random, tally);
        var honest = world.Hosts.Where(h => h.Honest).ToList();

        for (var minute = 0; minute < minutes; minute++)
        {
            checks.StartMinute(minute);
            foreach (var host in world.Hosts)
            {
                if (minute < host.RegisteredMinute || host.Refused)
                    continue;
                if (minute == host.RegisteredMinute && host.Cheat == CheatKind.DoubleListedGpu && honest.Count > 0 &&
                    VerificationChecks.RefusedAtRegistration(host, honest[random.Index(honest.Count)], minute))
                {
                    host.Refused = true;
                    host.DetectedMinute = minute;
                    continue;
                }

                checks.Liveness(host, minute);
                var up = !host.Outages.IsDown(minute);
                if (up && minute >= host.CloneMinute && host.DetectedMinute is null &&
                    FingerprintSightings.Cloned([new(host.Id, host.Id + "@original"), new(host.Id, host.Id + "@clone")]))
                    host.DetectedMinute = minute;
                if (up && minute >= host.NextCapacityMinute && checks.Capacity(host, minute) != MajorityOutcome.Undecided)
                    host.NextCapacityMinute = minute + (host.Paused ? VerificationChecks.RecheckMinutes : 1440);
                if (up && minute >= host.NextRandomCapacityMinute && checks.Capacity(host, minute) != MajorityOutcome.Undecided)
                    host.NextRandomCapacityMinute = minute + (int)random.Exponential(1440);
                JudgeLocation(host, world.Checkers, minute);
            }

            if (minute % 60 == 59)
            {
                progress?.Report(minute + 1);
                cancellation.ThrowIfCancellationRequested();
            }
        }

        foreach (var host in world.Hosts)
        {
            JudgeLocation(host, world.Checkers, minutes, final: true);
            if (host.Paused)
                host.PausedSpells.Add((host.PausedSince, minutes));
        }

        return VerificationReporting.Report(options, world, tally, minutes, random);
    }

    /// <summary>Simulated minutes in a run of these options.</summary>
    public static int TotalMinutes(VerificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Math.Max(1, (int)Math.Round(options.Days * 1440));
    }

    /// <summary>The simulated time of <paramref name="minute"/>.</summary>
    internal static DateTimeOffset At(int minute) => Start.AddMinutes(minute);

    private static void JudgeLocation(SimulatedHost host, List<SimulatedChecker> checkers, int minute, bool final = false)
    {
        if (host.LocationFlaggedMinute is not null || !host.RoundTripsChanged)
            return;
        var first = host.LocationEvaluatedMinute is null;
        if (!first && !final && minute - host.LocationEvaluatedMinute < LocationEveryMinutes)
            return;
        var probes = host.MinRoundTrips.Select(p => new LocationProbe(checkers[p.Key].Address, checkers[p.Key].At, p.Value)).ToList();
        var verdict = LocationRoundTrips.Evaluate(host.DeclaredAt, probes);
        host.LocationEvaluatedMinute = minute;
        host.RoundTripsChanged = false;
        if (verdict.Finding == LocationRoundTripFinding.Inconsistent)
            host.LocationFlaggedMinute = minute;
        if (first)
            host.LocationFlaggedAtFirstCheck = verdict.Finding == LocationRoundTripFinding.Inconsistent;
    }
}

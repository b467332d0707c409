using System.Globalization;
using Gpunet.Coordinator.Compliance;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Verification;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Verification;

/// <summary>What a decided check means for its host: a capacity failure holds it, a second in a row is the deceit slash, a
/// pass lifts the hold; round trips go to the matcher and test the declared place, a contradicted place flagged for
/// compliance.</summary>
internal sealed class HostConsequences(
    CheckBook book, HostHolds holds, Marketplace.IRoundTripSink roundTrips, RoundTripFlags locations, ComplianceService compliance,
    IOptions<VerificationOptions> options, TimeProvider time)
{
    /// <summary>How the hold of a host slashed for failing capacity starts, so that it is slashed once, not at every
    /// failed retry.</summary>
    public const string CapacityHoldPrefix = "failed capacity check ";

    /// <summary>How the hold after a first capacity failure starts: no slash yet, checked again soon.</summary>
    public const string ConfirmHoldPrefix = "failed a capacity check, confirming ";

    /// <summary>Whether a hold is one of the capacity check's.</summary>
    public static bool IsCapacityHold(string? reason) => reason is not null
        && (reason.StartsWith(CapacityHoldPrefix, StringComparison.Ordinal) || reason.StartsWith(ConfirmHoldPrefix, StringComparison.Ordinal));

    /// <summary>What a decided check of <paramref name="host"/> means for it; the slash to store with the decision, if any.</summary>
    public async Task<SlashEventRecord?> ApplyAsync(OpenCheck check, HostEntry host, string outcome, List<CheckReportRecord> reports,
        List<string> consequence, CancellationToken ct)
    {
        var majority = reports.Where(r => (r.Passed ? CheckOutcomes.Passed : CheckOutcomes.Failed) == outcome).ToList();
        var why = majority.Select(r => r.Reason).FirstOrDefault(r => r.Length > 0) ?? "";
        if (check.Record.Kind == CheckKind.Capacity)
        {
            if (outcome == CheckOutcomes.Failed)
            {
                var held = holds.ReasonOf(host.Id) ?? "";
                if (held.StartsWith(CapacityHoldPrefix, StringComparison.Ordinal))
                {
                    holds.Hold(host.Id, $"{CapacityHoldPrefix}{check.Id}: {why}; not matched until it passes again");
                    consequence.Add("still held (already slashed for this failure)");
                    return null;
                }

                if (!held.StartsWith(ConfirmHoldPrefix, StringComparison.Ordinal))
                {
                    // A first failure holds the host and checks it again soon; only a second in a row is a slash. A loaded
                    // moment or a lost connection must not cost an honest host its whole stake; a cheat fails again.
                    var again = options.Value.CapacityConfirmAfter;
                    holds.Hold(host.Id, $"{ConfirmHoldPrefix}{check.Id}: {why.TrimEnd('.')}; checked again before any slash");
                    book.ScheduleCapacity(host.Id, time.GetUtcNow() + again);
                    consequence.Add(string.Create(CultureInfo.InvariantCulture,
                        $"held: not matched; checked again in {again.TotalSeconds:0} s, and slashed for deceit if it fails again"));
                    await compliance.RecordAsync(host.Id, "capacity-check", new { check = check.Id, failedBy = majority.Select(r => r.Checker) },
                        $"failed by majority: {why}; held, to be checked again", "verification", ct);
                    return null;
                }

                holds.Hold(host.Id, $"{CapacityHoldPrefix}{check.Id}: {why}; not matched until it passes again");
                consequence.Add("failed again: slashed for deceit; held: not matched until it passes a capacity check");
                await compliance.RecordAsync(host.Id, "capacity-check", new { check = check.Id, failedBy = majority.Select(r => r.Checker) },
                    $"failed again by majority: {why}; slashed for deceit", "verification", ct);
                return new SlashEventRecord
                {
                    HostId = host.Id, Operator = host.Record.Address, Kind = "deceit",
                    Reason = Truncate($"failed capacity checks twice in a row, the last {check.Id}, by majority: {why}", 500), At = StoreTime.Now(time),
                };
            }

            if (outcome == CheckOutcomes.Passed && IsCapacityHold(holds.ReasonOf(host.Id)))
            {
                holds.Lift(host.Id);
                consequence.Add("capacity verified: the hold is lifted");
            }
            else if (outcome == CheckOutcomes.Passed)
            {
                consequence.Add("capacity verified");
            }

            if (outcome == CheckOutcomes.Passed)
            {
                // Checked again at a random time within the interval's second half, so that the host cannot know when.
                var interval = options.Value.CapacityInterval;
                book.ScheduleCapacity(host.Id, time.GetUtcNow() + (interval / 2) + (interval / 2 * (System.Security.Cryptography.RandomNumberGenerator.GetInt32(1_000_000) / 1e6)));
            }

            return null;
        }

        if (outcome == CheckOutcomes.Failed)
            consequence.Add($"{check.Record.Kind} failed by majority: {why}");
        var probes = reports.Where(r => r.RoundTripMicros > 0)
            .Select(r => (Report: r, Checker: check.Assigned.First(a => a.Checker.Value == r.Checker)))
            .Select(x => new LocationProbe(x.Checker.Checker, x.Checker.At, x.Report.RoundTripMicros / 1000.0)).ToList();
        if (probes.Count > 0 && options.Value.LocationChecks)
        {
            // Where the host is measured to be, for the latency ranking; and whether that fits where it says it is.
            roundTrips.Measured(host.Id, probes);
            await JudgeLocationAsync(check, host, probes, consequence, ct);
        }

        return null;
    }

    private async Task JudgeLocationAsync(OpenCheck check, HostEntry host, List<LocationProbe> probes, List<string> consequence, CancellationToken ct)
    {
        var declared = new LocationPoint(host.Record.Latitude, host.Record.Longitude);
        var verdict = LocationRoundTrips.Evaluate(declared, probes);
        if (verdict.Finding == LocationRoundTripFinding.Inconsistent)
        {
            var evidence = string.Join("; ", verdict.Breaches.Select(b => b.Explain()));
            if (locations.Flag(host.Id, evidence))
            {
                consequence.Add($"declared place {declared} contradicted by round trips: flagged for compliance ({evidence})");
                await compliance.RecordAsync(host.Id, "location-round-trips", new { check = check.Id, declared = declared.ToString(), evidence },
                    "flagged: the location is treated as unconfirmed", "verification", ct);
            }
        }
        else if (verdict.Finding == LocationRoundTripFinding.Consistent && locations.Clear(host.Id))
        {
            consequence.Add("declared place consistent with round trips again: flag cleared");
            await compliance.RecordAsync(host.Id, "location-round-trips", new { check = check.Id, declared = declared.ToString() },
                "cleared: the round trips fit the declared place", "verification", ct);
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}

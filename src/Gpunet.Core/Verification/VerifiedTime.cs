using Gpunet.Core.Economics;

namespace Gpunet.Core.Verification;

/// <summary>The part of a host's uptime that checkers verified: what Proof of Capacity pays for (MISSION.md: "being
/// available and verified, even idle").</summary>
/// <remarks>
/// <para>A moment of uptime is verified unless one of two rules takes it away:</para>
/// <list type="bullet">
/// <item><b>Capacity.</b> The host's latest capacity check decided at or before the moment must have passed. Before
/// its first decided capacity check a host is unverified: its GPUs are only claimed. Undecided capacity checks change
/// nothing (no majority said anything about the host).</item>
/// <item><b>Liveness.</b> A liveness check failed by majority takes away the time from the previous decided liveness
/// check (passed or failed) to the next one that passed, or to the end of the given time when none did. Why: liveness
/// is checked every minute, and a failure says the host stopped answering at some moment after it was last seen
/// answering, but not when; so none of the time since then is believed, and a host that failed is not believed up
/// again until a check sees it up. With no earlier decided liveness check among those given, the time taken away
/// starts at the beginning of the given uptime. Undecided liveness checks are skipped: they neither bound nor take
/// away time.</item>
/// </list>
/// <para>The rules apply only where the network has checkers: where it has none, nothing can be verified and uptime is
/// paid as it is (<see cref="HostUptime.ReadySeconds"/>), so that is the caller's choice, not this rule's.</para>
/// <para>Whole seconds, truncated per uptime stretch like <see cref="HostUptime"/>: a host with nothing taken away gets
/// exactly its uptime, and never more. Pure; the checks may come in any order.</para>
/// </remarks>
public static class VerifiedTime
{
    /// <summary>The verified seconds of one host's uptime.</summary>
    /// <param name="ready">Its uptime stretches, earliest first and not overlapping (<see cref="HostUptime.ReadyStretches"/>).</param>
    /// <param name="capacity">Its capacity checks decided before the end of <paramref name="ready"/>: for an epoch, the
    /// latest decided before the epoch's start and every one decided in it.</param>
    /// <param name="liveness">Its liveness checks decided within the time of <paramref name="ready"/>.</param>
    public static long Seconds(IReadOnlyList<UptimeStretch> ready, IEnumerable<DecidedCheck> capacity, IEnumerable<DecidedCheck> liveness)
    {
        ArgumentNullException.ThrowIfNull(ready);
        var gaps = CapacityGaps(capacity);
        gaps.AddRange(LivenessGaps(liveness));
        var unverified = Merge(gaps);
        long seconds = 0;
        var next = 0;
        foreach (var stretch in ready)
        {
            // Both lists are in time order: gaps that ended before this stretch never touch a later one.
            while (next < unverified.Count && unverified[next].Until <= stretch.From)
                next++;
            var left = stretch.Until - stretch.From;
            for (var i = next; i < unverified.Count && unverified[i].From < stretch.Until; i++)
            {
                var from = unverified[i].From > stretch.From ? unverified[i].From : stretch.From;
                var until = unverified[i].Until < stretch.Until ? unverified[i].Until : stretch.Until;
                left -= until - from;
            }

            if (left > TimeSpan.Zero)
                seconds += (long)left.TotalSeconds;
        }

        return seconds;
    }

    // Times no passed capacity check stood behind: before the first decided one, and from each failure to the next pass.
    private static List<UptimeStretch> CapacityGaps(IEnumerable<DecidedCheck> capacity)
    {
        ArgumentNullException.ThrowIfNull(capacity);
        var gaps = new List<UptimeStretch>();
        var since = DateTimeOffset.MinValue;
        var verified = false;
        foreach (var check in Decided(capacity))
        {
            var passed = check.Outcome == MajorityOutcome.Passed;
            if (passed && !verified)
                gaps.Add(new UptimeStretch(since, check.At));
            else if (!passed && verified)
                since = check.At;
            verified = passed;
        }

        if (!verified)
            gaps.Add(new UptimeStretch(since, DateTimeOffset.MaxValue));
        return gaps;
    }

    // From the decided liveness check before each failure to the next pass after it.
    private static List<UptimeStretch> LivenessGaps(IEnumerable<DecidedCheck> liveness)
    {
        ArgumentNullException.ThrowIfNull(liveness);
        var checks = Decided(liveness);
        var gaps = new List<UptimeStretch>();
        for (var i = 0; i < checks.Count; i++)
        {
            if (checks[i].Outcome != MajorityOutcome.Failed)
                continue;
            var from = i > 0 ? checks[i - 1].At : DateTimeOffset.MinValue;
            var j = i + 1;
            while (j < checks.Count && checks[j].Outcome != MajorityOutcome.Passed)
                j++;
            gaps.Add(new UptimeStretch(from, j < checks.Count ? checks[j].At : DateTimeOffset.MaxValue));
            i = j - 1; // the failures up to that pass are inside this gap already
        }

        return gaps;
    }

    // Passed and failed checks in time order; at the same moment a failure counts last, so a tie never verifies time.
    private static List<DecidedCheck> Decided(IEnumerable<DecidedCheck> checks)
    {
        var decided = new List<DecidedCheck>(checks.TryGetNonEnumeratedCount(out var count) ? count : 4);
        foreach (var check in checks)
        {
            if (check.Outcome != MajorityOutcome.Undecided)
                decided.Add(check);
        }

        // Checks equal in time and outcome are interchangeable, so an unstable sort gives the same answer.
        decided.Sort(static (a, b) => a.At != b.At ? a.At.CompareTo(b.At) : (a.Outcome == MajorityOutcome.Failed).CompareTo(b.Outcome == MajorityOutcome.Failed));
        return decided;
    }

    // Sorted by start, overlapping or touching gaps joined.
    private static List<UptimeStretch> Merge(List<UptimeStretch> gaps)
    {
        gaps.Sort(static (a, b) => a.From.CompareTo(b.From));
        var merged = new List<UptimeStretch>(gaps.Count);
        foreach (var gap in gaps)
        {
            if (gap.Until <= gap.From)
                continue;
            if (merged.Count > 0 && merged[^1].Until >= gap.From)
                merged[^1] = merged[^1] with { Until = gap.Until > merged[^1].Until ? gap.Until : merged[^1].Until };
            else
                merged.Add(gap);
        }

        return merged;
    }
}

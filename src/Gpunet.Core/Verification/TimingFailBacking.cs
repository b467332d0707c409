using System.Globalization;
using Gpunet.Core.Identity;

namespace Gpunet.Core.Verification;

/// <summary>When a capacity fail that the majority out-voted is backed by the passers' own measurements: the failing
/// checker judged the answer too slow on a smaller round-trip allowance than theirs, and most passers that timed the GPU
/// measured the answer later than the failing checker's limit, on a larger allowance. Such a fail is never marked
/// incorrect and never counted as a fail dissent (<see cref="DissentRules"/>,
/// <see cref="FailDissentHistory.CountDecided"/>).</summary>
/// <remarks>
/// <para>Why: a host can add delay, never remove it, and it knows which pings belong to a capacity check (they are signed
/// with the kind). A host that holds those pings widens the allowance of every checker that has not seen it answer
/// promptly before (<see cref="RoundTripHistory"/>), up to <see cref="RoundTripCap"/>; a weaker card then passes them,
/// while the checker that has seen the host's real round trip keeps a small allowance and fails it for being too slow.
/// Where most checkers are fooled, over both panels too (every host cheats, or a host new to most checkers), the honest
/// checker is the minority on hosts of many operators, and its fails, counted as fail dissents, held it back and got it
/// suspended for being right (<see cref="FailDissentPolicy"/>).</para>
/// <para>The rule, on one GPU the dissent failed for time alone (its opened rows correct, a time signed, its answer after
/// its own limit L = expected × (1 + card band) + R × (1 + jitter band), R the round trip its allowance rested on): the
/// fail is backed when more than half of the majority reports that timed that GPU signed a larger allowance round trip
/// than R and measured the answer after L. Those passers saw the same slowness the dissent failed, and excused it only by
/// their larger allowance, the part of the limit the host controls. More than half, not all: at a card near the band's
/// edge a passer that saw the host's real round trip too may have caught a faster run (in a simulated day where every
/// host is a delayed-ping cheat, seed 2, requiring every passer backed 12 of the 43 honest timing fails out-voted over
/// both panels; 15 more had most passers behind them). A report that timed nothing (a lazy pass, or a fail without
/// timings) backs nothing and is backed by nothing.</para>
/// <para>What it costs when the dissent lies: R is the dissent's own signed figure (the coordinator holds it between
/// zero and the report's median round trip, <see cref="CapacityGpuTiming.SignedLimitError"/>), so a checker that fails
/// everything can sign a small one. Its fail is still backed only where most passers measured past
/// expected × (1 + card band): an honest card (within the band, identical cards ±4 %, runs ±1 %) answers after that
/// only where the passer's own network during the check took more than the band's spare, 3 % of the compute (300 ms of
/// a 10 s check) and more, for most passers of the check. Such a fail escapes that one count; its fails of the
/// other hosts still hold it back. Where the task only reports timing (a real GPU not yet calibrated), the coordinator
/// counts a report with correct rows as a pass, so no timing fail reaches this rule.</para>
/// <para>What it does not do: decide the check failed. The small round trip is the dissent's own claim; the host
/// controls the passers' allowances but a lying checker controls its own, so "the smallest round trip across the
/// reports shows the compute too slow" is one checker's word against a majority, and a failed capacity check slashes
/// the host for deceit. The passers' reports alone cannot show it either: a passer whose answer came after
/// expected × (1 + card band) + its own allowance would have failed, and nothing in a passer's report bounds its network
/// during the check from above except that allowance, which the host inflated. So the majority still decides; the honest
/// checker is no longer punished for being right, and the cheat is caught by the checks that follow, where checkers
/// that have seen its real round trip (every liveness ping counts) are more of the panel. Pure.</para>
/// </remarks>
public static class TimingFailBacking
{
    /// <summary>The minority of a passed capacity check whose fails are backed, each with its reason, by checker; empty
    /// for any other kind or outcome.</summary>
    /// <param name="kind">One of <see cref="CheckKind.All"/>.</param>
    /// <param name="result">The majority result of <paramref name="reports"/>.</param>
    /// <param name="reports">The reports it was decided from.</param>
    /// <param name="timing">The bands the checkers judged by.</param>
    public static IReadOnlyDictionary<Address, string> Backed(string kind, MajorityResult result, IReadOnlyList<MajorityReport> reports,
        CapacityTimingOptions timing)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(timing);
        var backed = new Dictionary<Address, string>();
        if (kind != CheckKind.Capacity || result.Outcome != MajorityOutcome.Passed)
            return backed;
        var agreeing = result.Agreeing.ToHashSet();
        var majority = reports.Where(r => agreeing.Contains(r.Checker)).ToList();
        foreach (var checker in result.Minority)
        {
            if (reports.FirstOrDefault(r => r.Checker == checker) is { Vote: MajorityVote.Fail } dissent
                && Backing(dissent, majority, timing) is { } reason)
                backed[checker] = reason;
        }

        return backed;
    }

    /// <summary>Why <paramref name="fail"/> is backed by the timings of <paramref name="majority"/> (the reports that
    /// passed the host); null when it is not.</summary>
    public static string? Backing(MajorityReport fail, IReadOnlyList<MajorityReport> majority, CapacityTimingOptions timing)
    {
        ArgumentNullException.ThrowIfNull(fail);
        ArgumentNullException.ThrowIfNull(majority);
        ArgumentNullException.ThrowIfNull(timing);
        if (fail.Vote != MajorityVote.Fail)
            return null;
        foreach (var gpu in (fail.Gpus ?? []).Where(g => !g.Passed && g.ProductCorrect && g.Answered > TimeSpan.Zero && g.Expected > TimeSpan.Zero)
                     .OrderBy(g => g.Index))
        {
            var limit = LimitOf(gpu, timing);
            if (gpu.Answered <= limit)
                continue;
            var timed = majority.Select(m => m.Gpus?.FirstOrDefault(g => g.Index == gpu.Index && g.Answered > TimeSpan.Zero))
                .OfType<CapacityGpuTiming>().ToList();
            var backing = timed.Where(p => p.AllowanceRoundTrip > gpu.AllowanceRoundTrip && p.Answered > limit).ToList();
            if (2 * backing.Count <= timed.Count)
                continue;
            return string.Create(CultureInfo.InvariantCulture,
                $"failed GPU {gpu.Index} answered in {Ms(gpu.Answered)} ms, over its limit of {Ms(limit)} ms on a {Ms(gpu.AllowanceRoundTrip)} ms round trip; {backing.Count} of the {timed.Count} passing reports that timed it measured {Ms(backing.Min(p => p.Answered))} to {Ms(backing.Max(p => p.Answered))} ms, later than that limit, and passed it on round trips of {Ms(backing.Min(p => p.AllowanceRoundTrip))} ms or more, which a host can lengthen (holding pings) but not shorten: a timing fail backed by the passers' own measurements; not marked, not counted as a fail dissent");
        }

        return null;
    }

    // The limit the checker judged the GPU by: expected × (1 + card band) + allowance round trip × (1 + jitter band).
    private static TimeSpan LimitOf(CapacityGpuTiming gpu, CapacityTimingOptions timing) =>
        (gpu.Expected * (1 + timing.CardBand)) + (gpu.AllowanceRoundTrip * (1 + timing.JitterBand));

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
}

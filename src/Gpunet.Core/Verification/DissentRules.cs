using System.Globalization;
using Gpunet.Core.Identity;

namespace Gpunet.Core.Verification;

/// <summary>Who is marked incorrect on a decided check: a report against the majority only when it cannot be honest
/// disagreement, and every pass of a honeypot.</summary>
/// <remarks>
/// <para>Honest checkers disagree without anyone's fault: each measures its own time over its own network path, opens
/// rows of its own, and the host knows who is asking (every probe is signed), so it can answer one checker and not
/// another, late or wrong. A mark is for what no host behaviour short of failing its own check, and no noise the rules
/// allow, could make an honest checker report:</para>
/// <list type="bullet">
/// <item>A honeypot's pass: the host is known to be bad, so the checker did not look (or lied).</item>
/// <item>A capacity pass against a failing majority where, on a GPU it passed, its timing cannot be the same card's:
/// each round trip (the one the allowance rests on and the one during the check) may stray by the jitter band j from
/// the true one, so an answer in A with allowance round trip R took at least A − R(1+j)/(1−j) of compute, and at most
/// A (the host may have inflated R by delaying the pings before, so R bounds nothing from above); two runs of one card
/// may differ by the card band c (c × its time: the longer of the expected time and the least compute the majority's
/// timing allows, since a card three times slower than claimed strays three times as many milliseconds). When the dissenter's whole answer came more than that before the
/// least compute every majority checker's timing allows, it saw a card faster than the one the others timed, or timed
/// nothing at all (a report made without probing). A host could produce it only by slowing its answers to the others,
/// failing the check and paying the deceit slash.</item>
/// <item>A fail of a host the majority passed, of any kind, by a checker that <see cref="FailDissentPolicy"/> holds back
/// (its <see cref="FailDissentStanding.HeldBack"/>): within the week it has failed hosts of K different operators that
/// every other checker passed, and such fails are a large share of its reports. One host can answer one checker wrong,
/// and one operator can do it on all its hosts; K identified operators doing it to the same checker and to nobody else
/// is not the hosts' doing. Marking it (two in a week cost a month, <see cref="MajorityPenaltyPolicy"/>) is what stops an
/// always-fail checker: each of its fails would otherwise send a capacity check to a second panel, and cost it
/// nothing. The checker whose own link is broken is marked too: its fails say nothing about the hosts either. Except a
/// capacity fail backed by the passers' own timings (<see cref="TimingFailBacking"/>): on a smaller round-trip
/// allowance than theirs, of an answer most passers measured later than its limit; the host, which can lengthen round
/// trips but not shorten them, fooled the others. It is not marked, held back or not.</item>
/// </list>
/// <para>Nothing else is marked: a fail by a checker not held back (the host may answer that one checker late, wrong or
/// not at all), a pass of a host the majority failed on its rows (a host that made up a few rows passes some checkers'
/// secret rows and fails others'), a pass the timings do not rule out (a card near the band's edge), and liveness or
/// service passes against a failing majority (a partition can leave a host reachable from one checker's side only; a
/// lazy liveness checker is the honeypots' to catch). Such a report is neither right nor wrong, like a missing one: not
/// paid, not marked. A lazy checker is caught by the honeypots and, on a weaker card that the majority times as one, by
/// its untimed passes. Pure.</para>
/// </remarks>
public static class DissentRules
{
    /// <summary>A verdict for every checker <paramref name="result"/> puts in the minority, by address; none when the
    /// check is undecided.</summary>
    /// <param name="kind">One of <see cref="CheckKind.All"/>.</param>
    /// <param name="result">The majority result of <paramref name="reports"/>.</param>
    /// <param name="reports">The reports the result was decided from; a capacity report's timings in
    /// <see cref="MajorityReport.Gpus"/> (a report without them is never marked).</param>
    /// <param name="timing">The bands the checkers judged by.</param>
    /// <param name="failDissents">The minority's standings on <paramref name="kind"/> with this check's fail dissents
    /// counted (<see cref="FailDissentHistory"/>), by checker; a checker not in it is not held back.</param>
    public static IReadOnlyList<DissentVerdict> Judge(string kind, MajorityResult result, IReadOnlyList<MajorityReport> reports,
        CapacityTimingOptions timing, IReadOnlyDictionary<Address, FailDissentStanding>? failDissents = null)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(timing);
        if (result.Outcome == MajorityOutcome.Undecided)
            return [];
        var agreeing = result.Agreeing.ToHashSet();
        var majority = reports.Where(r => agreeing.Contains(r.Checker)).ToList();
        var verdicts = new List<DissentVerdict>(result.Minority.Count);
        foreach (var checker in result.Minority)
        {
            var dissent = reports.First(r => r.Checker == checker);
            verdicts.Add(dissent.Vote == MajorityVote.Fail
                ? kind == CheckKind.Capacity && TimingFailBacking.Backing(dissent, majority, timing) is { } backing
                    ? new DissentVerdict(checker, false, backing)
                    : FailAgainstPass(kind, checker, failDissents?.GetValueOrDefault(checker))
                : kind != CheckKind.Capacity
                    ? new DissentVerdict(checker, false, $"{kind}: passed a host the majority failed; reachability is per path; not marked")
                    : PassAgainstFailure(dissent, majority, timing));
        }

        return verdicts;
    }

    /// <summary>A honeypot's verdicts: every checker that passed the planted known-bad host is marked, by address.</summary>
    public static IReadOnlyList<DissentVerdict> Honeypot(IReadOnlyList<MajorityReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        return reports.Where(r => r.Vote == MajorityVote.Pass).Select(r => r.Checker).Distinct()
            .OrderBy(a => a.Value, StringComparer.Ordinal)
            .Select(a => new DissentVerdict(a, true, "passed a planted known-bad host (honeypot)"))
            .ToList();
    }

    /// <summary>The compute time an answer leaves under the rule's noise: from <paramref name="gpu"/>'s answer less its
    /// allowance round trip grown by the jitter band twice over (measured low before, high during), to the whole answer
    /// (a host can inflate the round trip measured before, so it bounds nothing from above); never below zero, which is
    /// all a jitter band of 1 or more leaves.</summary>
    public static (TimeSpan Earliest, TimeSpan Latest) ComputeWindow(CapacityGpuTiming gpu, CapacityTimingOptions timing)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        ArgumentNullException.ThrowIfNull(timing);
        var j = timing.JitterBand;
        var earliest = j < 1 ? gpu.Answered - (gpu.AllowanceRoundTrip * ((1 + j) / (1 - j))) : TimeSpan.Zero;
        return (earliest > TimeSpan.Zero ? earliest : TimeSpan.Zero, gpu.Answered);
    }

    private static DissentVerdict FailAgainstPass(string kind, Address checker, FailDissentStanding? standing) =>
        standing is { HeldBack: true }
            ? new DissentVerdict(checker, true, string.Create(CultureInfo.InvariantCulture,
                $"failed a host the majority passed, and within the week failed {kind} checks of hosts of {standing.Operators} operators that the others passed ({standing.FailDissents} of its {standing.Reports} reports on passed {kind} checks): not the hosts' doing; marked incorrect"))
            : new DissentVerdict(checker, false, "failed a host the majority passed: a host can answer one checker late, wrong or not at all; not marked");

    private static DissentVerdict PassAgainstFailure(MajorityReport dissent, List<MajorityReport> majority, CapacityTimingOptions timing)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var gpu in (dissent.Gpus ?? []).Where(g => g.Passed).OrderBy(g => g.Index))
        {
            var timed = majority.Select(m => m.Gpus?.FirstOrDefault(g => g.Index == gpu.Index && g.Answered > TimeSpan.Zero))
                .OfType<CapacityGpuTiming>().ToList();
            if (timed.Count == 0)
                continue;
            if (gpu.Answered <= TimeSpan.Zero)
                return new DissentVerdict(dissent.Checker, true, string.Create(c,
                    $"passed GPU {gpu.Index} without timing it, where {timed.Count} of the majority timed it and failed the host; marked incorrect"));
            var mine = ComputeWindow(gpu, timing);
            var apart = timed.Select(m =>
            {
                var least = ComputeWindow(m, timing).Earliest;
                var expected = gpu.Expected < m.Expected ? gpu.Expected : m.Expected;
                return (Gap: least - mine.Latest, Slack: (least > expected ? least : expected) * timing.CardBand);
            }).ToList();
            if (apart.All(a => a.Gap > a.Slack))
            {
                var closest = apart.MinBy(a => a.Gap - a.Slack);
                return new DissentVerdict(dissent.Checker, true, string.Create(c,
                    $"passed GPU {gpu.Index} answered in {mine.Latest.TotalMilliseconds:0} ms, {closest.Gap.TotalMilliseconds:0} ms below the least compute any majority timing allows (more than the card band's {closest.Slack.TotalMilliseconds:0} ms and the network's jitter); marked incorrect"));
            }
        }

        return new DissentVerdict(dissent.Checker, false,
            "passed a host the majority failed, within what honest checkers can see differently (rows of its own, network and card noise); not marked");
    }
}

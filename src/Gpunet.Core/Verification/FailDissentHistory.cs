using Gpunet.Core.Identity;

namespace Gpunet.Core.Verification;

/// <summary>One checker's reports on checks that passed, by kind, and which of them were fails (fail dissents): what
/// <see cref="FailDissentPolicy"/> weighs to hold it back.</summary>
/// <remarks>Reports are counted by the hour (a report counts while any of its hour is inside the window, so the window
/// is up to an hour longer for them); each operator's latest fail dissent is kept exactly. Times may arrive in any order
/// (a restart reads them back from the store); anything older than the window before the latest time heard is
/// forgotten, so a standing asked for before that time is not the past's. Pure: time is the reports' own. Safe to use
/// from several threads.</remarks>
public sealed class FailDissentHistory
{
    private readonly Dictionary<string, Kind> _kinds = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private DateTimeOffset _latest = DateTimeOffset.MinValue;

    /// <summary>An empty history weighed by <paramref name="policy"/>.</summary>
    /// <exception cref="ArgumentException">The policy is invalid (<see cref="FailDissentPolicy.Validate"/>).</exception>
    public FailDissentHistory(FailDissentPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Validate() is [_, ..] errors)
            throw new ArgumentException(string.Join("; ", errors), nameof(policy));
        Policy = policy;
    }

    /// <summary>The rule it is weighed by.</summary>
    public FailDissentPolicy Policy { get; }

    /// <summary>Counts <paramref name="reports"/> of its reports that agreed with a passing majority of
    /// <paramref name="kind"/> at <paramref name="at"/> (or failed it with the passers' own timings backing the fail,
    /// <see cref="TimingFailBacking"/>): reports on passed checks that are not fail dissents.</summary>
    public void Agreed(string kind, DateTimeOffset at, long reports = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reports);
        lock (_lock)
        {
            var k = Heard(kind, at);
            var hour = HourOf(at);
            k.Reports[hour] = k.Reports.GetValueOrDefault(hour) + reports;
        }
    }

    /// <summary>Counts its fail of a host of <paramref name="hostOperator"/> that the majority of a <paramref name="kind"/>
    /// check passed at <paramref name="at"/> (a report too).</summary>
    public void FailDissent(string kind, DateTimeOffset at, Address hostOperator)
    {
        lock (_lock)
        {
            var k = Heard(kind, at);
            var hour = HourOf(at);
            k.Reports[hour] = k.Reports.GetValueOrDefault(hour) + 1;
            k.Fails[hour] = k.Fails.GetValueOrDefault(hour) + 1;
            if (!k.LastFailOf.TryGetValue(hostOperator, out var last) || last < at)
                k.LastFailOf[hostOperator] = at;
        }
    }

    /// <summary>Counts a passed check's reports in each checker's history: <paramref name="result"/>'s majority agreed,
    /// its minority failed a host of <paramref name="hostOperator"/>. Returns the minority's standings with this check
    /// counted, by checker (what <see cref="DissentRules.Judge"/> marks by); none when the check did not pass.</summary>
    /// <param name="historyOf">Each checker's history.</param>
    /// <param name="overBothPanels">Whether the check was decided over both panels of an escalation.</param>
    /// <param name="backed">The minority's capacity fails backed by the passers' own timings
    /// (<see cref="TimingFailBacking.Backed"/>): each counts as a report on a passed check, never as a fail dissent.</param>
    /// <remarks>A capacity fail counts only when the pass was decided over both panels (3(2N+1) checkers: a fail that
    /// nine checkers out-voted), or from a checker already held back. A first panel's pass alone is not enough: where
    /// a cheat fools most checkers (held pings to checkers that never saw it, a card near the band's edge), the honest
    /// checker that fails it is the minority of three, on hosts of many operators, and would be held back and marked for
    /// being right (measured: 11 of 15 honest checkers suspended in a simulated day of delayed-ping cheats without the
    /// allowance's cap). Liveness and service have no second panel, and count every fail dissent. Nor does a capacity
    /// fail backed by the passers' own timings count, over both panels or held back: the passers measured the slowness it
    /// failed and excused it on round trips the host lengthened (<see cref="TimingFailBacking"/>; 1 of 15 honest checkers
    /// was still suspended in that day of delayed-ping cheats with the cap, out-voted over both panels).</remarks>
    public static Dictionary<Address, FailDissentStanding> CountDecided(string kind, MajorityResult result, Address hostOperator,
        DateTimeOffset at, Func<Address, FailDissentHistory> historyOf, bool overBothPanels, IReadOnlySet<Address>? backed = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(historyOf);
        if (result.Outcome != MajorityOutcome.Passed)
            return [];
        foreach (var agreed in result.Agreeing)
            historyOf(agreed).Agreed(kind, at);
        return result.Minority.ToDictionary(c => c, c =>
        {
            var history = historyOf(c);
            if (kind == CheckKind.Capacity && backed is not null && backed.Contains(c))
                history.Agreed(kind, at);
            else if (kind != CheckKind.Capacity || overBothPanels || history.Standing(kind, at).HeldBack)
                history.FailDissent(kind, at, hostOperator);
            return history.Standing(kind, at);
        });
    }

    /// <summary>Its standing on <paramref name="kind"/> at <paramref name="at"/>: the window up to and including it.</summary>
    public FailDissentStanding Standing(string kind, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(kind);
        lock (_lock)
            return _kinds.TryGetValue(kind, out var k) ? StandingOf(kind, k, at) : new FailDissentStanding(kind, 0, 0, 0, false);
    }

    /// <summary>Its standing on every kind it has reports of at <paramref name="at"/>, in <see cref="CheckKind.All"/>'s
    /// order.</summary>
    public IReadOnlyList<FailDissentStanding> Standings(DateTimeOffset at)
    {
        lock (_lock)
        {
            return CheckKind.All.Where(_kinds.ContainsKey).Select(kind => StandingOf(kind, _kinds[kind], at))
                .Where(s => s.Reports > 0).ToList();
        }
    }

    private FailDissentStanding StandingOf(string kind, Kind k, DateTimeOffset at)
    {
        var from = at - Policy.Window;
        var firstHour = HourOf(from);
        var lastHour = HourOf(at);
        var reports = k.Reports.Where(p => p.Key >= firstHour && p.Key <= lastHour).Sum(p => p.Value);
        var fails = k.Fails.Where(p => p.Key >= firstHour && p.Key <= lastHour).Sum(p => p.Value);
        var operators = k.LastFailOf.Values.Count(t => t > from && t <= at);
        var heldBack = operators >= Policy.DistinctOperators && reports > 0 && fails >= Policy.MinShare * reports;
        return new FailDissentStanding(kind, reports, fails, operators, heldBack);
    }

    // The kind's counts, after forgetting what is older than a window before the latest time heard.
    private Kind Heard(string kind, DateTimeOffset at)
    {
        if (!CheckKind.IsKnown(kind))
            throw new ArgumentException($"not a kind of check: {kind}", nameof(kind));
        if (!_kinds.TryGetValue(kind, out var k))
            _kinds[kind] = k = new Kind();
        if (at > _latest)
        {
            _latest = at;
            var cutoff = _latest - Policy.Window;
            var hour = HourOf(cutoff);
            foreach (var each in _kinds.Values)
            {
                Forget(each.Reports, hour);
                Forget(each.Fails, hour);
                foreach (var gone in each.LastFailOf.Where(p => p.Value <= cutoff).Select(p => p.Key).ToList())
                    each.LastFailOf.Remove(gone);
            }
        }

        return k;
    }

    private static void Forget(SortedDictionary<long, long> counts, long beforeHour)
    {
        while (counts.Count > 0 && counts.First().Key < beforeHour)
            counts.Remove(counts.First().Key);
    }

    private static long HourOf(DateTimeOffset at) => at.UtcTicks / TimeSpan.TicksPerHour;

    private sealed class Kind
    {
        public SortedDictionary<long, long> Reports { get; } = [];

        public SortedDictionary<long, long> Fails { get; } = [];

        public Dictionary<Address, DateTimeOffset> LastFailOf { get; } = [];
    }
}

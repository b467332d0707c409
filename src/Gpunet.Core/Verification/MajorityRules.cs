using Gpunet.Core.Identity;

namespace Gpunet.Core.Verification;

/// <summary>Decides a check from its signed reports: N+1 of the 2N+1 assigned checkers agreeing win; the checkers who
/// voted the other way are the minority, of whom <see cref="DissentRules"/> marks incorrect those that cannot be
/// honestly wrong.</summary>
/// <remarks>Pure, and symmetric in the order of the reports: every list in the result is ordered by address. A missing
/// report is neither right nor wrong (the checker may have been cut off; liveness is the coordinator's business), so a
/// check with too few reports to reach N+1 either way is <see cref="MajorityOutcome.Undecided"/> and re-assigned; nobody
/// is marked on it.</remarks>
public static class MajorityRules
{
    /// <summary>The result of a check assigned to <paramref name="assigned"/> (2N+1 checkers) given the reports received.</summary>
    /// <exception cref="ArgumentException">An even or empty assignment, or a checker assigned twice.</exception>
    public static MajorityResult Decide(IReadOnlyList<Address> assigned, IReadOnlyList<MajorityReport> reports)
    {
        ArgumentNullException.ThrowIfNull(assigned);
        ArgumentNullException.ThrowIfNull(reports);
        if (assigned.Count % 2 == 0)
            throw new ArgumentException($"a check is assigned to 2N+1 checkers, not {assigned.Count}", nameof(assigned));
        var assignedSet = new HashSet<Address>(assigned);
        if (assignedSet.Count != assigned.Count)
            throw new ArgumentException("a checker is assigned twice", nameof(assigned));
        var needed = (assigned.Count / 2) + 1;

        var rejected = new List<MajorityRejection>();
        var counted = Counted(assignedSet, reports, rejected);
        var passes = counted.Count(r => r.Vote == MajorityVote.Pass);
        var fails = counted.Count - passes;
        MajorityVote? winner = passes >= needed ? MajorityVote.Pass : fails >= needed ? MajorityVote.Fail : null;

        var reported = counted.Select(r => r.Checker).ToHashSet();
        var missing = Ordered(assigned.Where(a => !reported.Contains(a)));
        var rejections = rejected
            .OrderBy(r => r.Checker.Value, StringComparer.Ordinal).ThenBy(r => r.Reason)
            .ToList();

        if (winner is not { } vote)
            return new MajorityResult(MajorityOutcome.Undecided, needed, [], [], missing, rejections, new Dictionary<string, double>());

        var majority = counted.Where(r => r.Vote == vote).ToList();
        return new MajorityResult(
            vote == MajorityVote.Pass ? MajorityOutcome.Passed : MajorityOutcome.Failed,
            needed,
            Ordered(majority.Select(r => r.Checker)),
            Ordered(counted.Where(r => r.Vote != vote).Select(r => r.Checker)),
            missing,
            rejections,
            Medians(majority));
    }

    /// <summary>The reports that count: an assigned checker's one report. An unassigned checker's, or two from one
    /// checker (the order of arrival would pick its vote), do not; they are added to <paramref name="rejected"/> when
    /// given.</summary>
    internal static List<MajorityReport> Counted(IReadOnlySet<Address> assigned, IReadOnlyList<MajorityReport> reports,
        List<MajorityRejection>? rejected = null)
    {
        var counted = new List<MajorityReport>();
        foreach (var group in reports.GroupBy(r => r.Checker))
        {
            if (!assigned.Contains(group.Key))
                rejected?.AddRange(group.Select(_ => new MajorityRejection(group.Key, MajorityRejectionReason.NotAssigned)));
            else if (group.Skip(1).Any())
                rejected?.AddRange(group.Select(_ => new MajorityRejection(group.Key, MajorityRejectionReason.MoreThanOneReport)));
            else
                counted.Add(group.First());
        }

        return counted;
    }

    private static List<Address> Ordered(IEnumerable<Address> addresses) =>
        addresses.OrderBy(a => a.Value, StringComparer.Ordinal).ToList();

    // Per measured name, the lower median of the values the majority reported for it (a value some checker signed).
    private static SortedDictionary<string, double> Medians(List<MajorityReport> majority)
    {
        var medians = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var name in majority.SelectMany(r => r.Measured.Keys).Distinct())
        {
            var values = majority
                .Select(r => r.Measured.TryGetValue(name, out var v) ? v : double.NaN)
                .Where(v => !double.IsNaN(v))
                .Order()
                .ToList();
            medians[name] = values[(values.Count - 1) / 2];
        }

        return medians;
    }
}

using Gpunet.Core.Identity;
using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Verification;

/// <summary>Picks the 2N+1 checkers for one check: at random from a seed the host cannot predict, never one run by the
/// host's operator, spread by location.</summary>
/// <remarks>
/// Pure and deterministic: the same candidates (in any order), operator, seed and N give the same checkers. The
/// coordinator supplies the seed from a secret source per check, so the host cannot know in advance who will check it.
/// The eligible checkers are put in address order and shuffled by the seed; then each pick takes, in that random order,
/// the first checker in a country not yet picked that is at least <see cref="MinSpreadKm"/> from every pick so far; failing
/// that, the farthest (from its nearest pick) checker in a new country; failing that, the farthest of the rest. Spread
/// matters twice: a check from three places bounds a host's location (<see cref="LocationRoundTrips"/>), and one network
/// outage or one jurisdiction cannot decide the majority.
/// </remarks>
public static class CheckerAssignmentRules
{
    /// <summary>Checkers closer than this are not "spread" even in different countries (Frankfurt–Strasbourg is 180 km).</summary>
    public const double MinSpreadKm = 500;

    /// <summary>N in 2N+1 by default: three checkers per check, a majority of two (MISSION.md).</summary>
    public const int DefaultN = 1;

    /// <summary>The smallest second panel (<see cref="PanelRules.SecondPanelSize"/>): two, so that both panels together
    /// stay odd.</summary>
    private const int MinSecondPanel = 2;

    /// <summary>The checkers for one check of a host run by <paramref name="hostOperator"/>.</summary>
    /// <exception cref="ArgumentException">A checker listed twice, or N below 0.</exception>
    public static CheckerAssignment Assign(IReadOnlyList<AssignmentCandidate> candidates, Address hostOperator, ulong seed, int n = DefaultN)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, 1_000);
        var (eligible, excluded) = Eligible(candidates, hostOperator, []);
        return Pick(eligible, excluded, seed, (2 * n) + 1);
    }

    /// <summary>A first panel from the checkers there are: 2N+1 of them, or, when fewer than that are
    /// <paramref name="free"/>, the largest odd number there are (so a small network still checks by majority).</summary>
    /// <exception cref="ArgumentException">A checker listed twice, or N below 0.</exception>
    public static CheckerAssignment AssignFirstPanel(IReadOnlyList<AssignmentCandidate> free, Address hostOperator, ulong seed, int n = DefaultN)
    {
        ArgumentNullException.ThrowIfNull(free);
        return Assign(free, hostOperator, seed, Math.Min(n, (free.Count - 1) / 2));
    }

    /// <summary>The second panel of a check whose first panel, <paramref name="firstPanel"/>, split
    /// (<see cref="PanelRules"/>): <see cref="PanelRules.SecondPanelSize"/> checkers, none of the first panel's, drawn
    /// and spread as any panel is. Not <see cref="CheckerAssignment.Assigned"/> when fewer than two others can check.</summary>
    /// <exception cref="ArgumentException">A checker listed twice, or an even or empty first panel.</exception>
    public static CheckerAssignment AssignSecondPanel(IReadOnlyList<AssignmentCandidate> candidates, Address hostOperator, ulong seed,
        IReadOnlyList<Address> firstPanel)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(firstPanel);
        var (eligible, excluded) = Eligible(candidates, hostOperator, firstPanel.ToHashSet());
        var size = PanelRules.SecondPanelSize(firstPanel.Count, eligible.Count);
        // Too few: the smallest second panel there could be is what it lacks.
        return size == 0 ? new CheckerAssignment(MinSecondPanel, [], eligible.Count, excluded) : Pick(eligible, excluded, seed, size);
    }

    private static AssignmentExclusionReason? Exclusion(AssignmentCandidate c, Address hostOperator) =>
        c.Operator == hostOperator ? AssignmentExclusionReason.HostsOwnOperator
        : !c.Licensed ? AssignmentExclusionReason.NotLicensed
        : !c.Connected ? AssignmentExclusionReason.NotConnected
        : null;

    // The candidates who may check, in address order, and the others with why not.
    private static (List<AssignmentCandidate> Eligible, List<AssignmentExclusion> Excluded) Eligible(IReadOnlyList<AssignmentCandidate> candidates,
        Address hostOperator, HashSet<Address> firstPanel)
    {
        // Address order first, so that the order the coordinator lists its checkers in does not change the draw.
        var known = candidates.OrderBy(c => c.Checker.Value, StringComparer.Ordinal).ToList();
        for (var i = 1; i < known.Count; i++)
        {
            if (known[i].Checker == known[i - 1].Checker)
                throw new ArgumentException($"checker {known[i].Checker} is listed twice", nameof(candidates));
        }

        var excluded = new List<AssignmentExclusion>();
        var eligible = new List<AssignmentCandidate>();
        foreach (var c in known)
        {
            var reason = firstPanel.Contains(c.Checker) ? AssignmentExclusionReason.OnFirstPanel : Exclusion(c, hostOperator);
            if (reason is { } r)
                excluded.Add(new AssignmentExclusion(c.Checker, r));
            else
                eligible.Add(c);
        }

        return (eligible, excluded);
    }

    private static CheckerAssignment Pick(List<AssignmentCandidate> eligible, List<AssignmentExclusion> excluded, ulong seed, int needed)
    {
        if (eligible.Count < needed)
            return new CheckerAssignment(needed, [], eligible.Count, excluded);

        var random = new SeededRandom(seed);
        for (var i = eligible.Count - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (eligible[i], eligible[j]) = (eligible[j], eligible[i]);
        }

        var chosen = new List<AssignmentCandidate>(needed);
        while (chosen.Count < needed)
        {
            var pick = PickNext(eligible, chosen);
            chosen.Add(eligible[pick]);
            eligible.RemoveAt(pick);
        }

        return new CheckerAssignment(needed, chosen, chosen.Count + eligible.Count, excluded);
    }

    // The index in the shuffled remainder of the next pick (see the remarks on the class).
    private static int PickNext(List<AssignmentCandidate> remaining, List<AssignmentCandidate> chosen)
    {
        int farthestNew = -1, farthestAny = -1;
        double farthestNewKm = -1, farthestAnyKm = -1;
        for (var i = 0; i < remaining.Count; i++)
        {
            var c = remaining[i];
            var nearestKm = chosen.Count == 0 ? double.PositiveInfinity : chosen.Min(p => p.At.DistanceKm(c.At));
            var newCountry = !chosen.Exists(p => p.Country == c.Country);
            if (newCountry && nearestKm >= MinSpreadKm)
                return i;
            // Strictly farther only: on a tie the earlier one in the random order stays.
            if (newCountry && nearestKm > farthestNewKm)
                (farthestNew, farthestNewKm) = (i, nearestKm);
            if (nearestKm > farthestAnyKm)
                (farthestAny, farthestAnyKm) = (i, nearestKm);
        }

        return farthestNew >= 0 ? farthestNew : farthestAny;
    }
}

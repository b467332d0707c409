using Gpunet.Core.Identity;

namespace Gpunet.Core.Verification;

/// <summary>When a capacity check's first panel of 2N+1 checkers does not decide it: a split vote goes to a second panel
/// twice as large, and the reports of both panels together decide by majority.</summary>
/// <remarks>
/// <para>Why: a lazy checker signs "pass" without probing, so a cheat passes whenever lazy checkers are the majority of
/// its panel, and the honest checker who failed it is the minority. With a lazy share f of the checkers that is
/// 3f²(1 − f) + f³ of a cheat's checks on three checkers: 2.8 % at f = 0.1, 22 % at f = 0.3. Honest checkers agree on an
/// honest host (timing and rows leave it far inside the bands) and on a cheat beyond the card band, so a split capacity
/// vote is the mark of a checker that did not look, or of a host near an edge: it is worth a second look, the common
/// unanimous case costs nothing more.</para>
/// <para>The rule: a first panel whose counted reports hold both votes is not decided; a second panel of 2(2N+1)
/// checkers, none of the first's, is assigned, and the majority of the 3(2N+1) reports of both decides (an odd
/// number, so all reporting always decides). Given a split, the first panel's votes cancel but one, which is a pass with
/// probability f: deciding over both panels is a fresh panel of 2(2N+1) + 1 for the cheat's odds, and keeps the first
/// panel's evidence for <see cref="DissentRules"/>. A cheat then passes with f³ + P(split) × P(a lazy majority of
/// 2(2N+1) + 1): 0.17 % at f = 0.1, 11 % at f = 0.3 (N = 1). One escalation per check; with too few other checkers for
/// a second panel (fewer than two), the first panel decides as it would have, and a second panel that reports too
/// little is undecided like any check.</para>
/// <para>A fail by a checker that <see cref="FailDissentPolicy"/> holds back does not split a panel: an always-fail
/// checker would otherwise cost six more checkers' work on every capacity check it sits on. Its report still counts in
/// the majority (a fail it is right about still takes two others to agree), and the split of the rest still escalates.
/// Pure.</para>
/// </remarks>
public static class PanelRules
{
    /// <summary>Whether a first panel's reports escalate the check: a capacity check whose counted reports (an assigned
    /// checker's one report) hold both a pass and a fail, the fail not only from checkers held back. A honeypot never
    /// escalates: its truth is known.</summary>
    /// <param name="kind">One of <see cref="CheckKind.All"/>.</param>
    /// <param name="assigned">The first panel.</param>
    /// <param name="reports">The reports received from it.</param>
    /// <param name="heldBack">Checkers whose fails do not split a panel (<see cref="FailDissentStanding.HeldBack"/> on
    /// capacity); none when null.</param>
    public static bool Escalates(string kind, IReadOnlyList<Address> assigned, IReadOnlyList<MajorityReport> reports,
        IReadOnlySet<Address>? heldBack = null)
    {
        ArgumentNullException.ThrowIfNull(assigned);
        ArgumentNullException.ThrowIfNull(reports);
        if (kind != CheckKind.Capacity)
            return false;
        var votes = MajorityRules.Counted(assigned.ToHashSet(), reports)
            .Where(r => r.Vote == MajorityVote.Pass || heldBack is null || !heldBack.Contains(r.Checker))
            .Select(r => r.Vote).ToHashSet();
        return votes.Count == 2;
    }

    /// <summary>How many checkers the second panel of a first panel of <paramref name="firstPanel"/> takes when
    /// <paramref name="available"/> others can check the host: 2 × <paramref name="firstPanel"/>, or the largest even
    /// number there are when fewer (so that both panels together stay odd); 0 when fewer than two: no second panel.</summary>
    public static int SecondPanelSize(int firstPanel, int available)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(firstPanel);
        if (firstPanel % 2 == 0)
            throw new ArgumentException($"a first panel is 2N+1 checkers, not {firstPanel}", nameof(firstPanel));
        ArgumentOutOfRangeException.ThrowIfNegative(available);
        var size = Math.Min(2 * firstPanel, available - (available % 2));
        return size >= 2 ? size : 0;
    }

    /// <summary>The decision of an escalated check: the majority of both panels' reports, judged as one panel of
    /// <paramref name="first"/> and <paramref name="second"/> together (<see cref="MajorityRules.Decide"/>).</summary>
    /// <exception cref="ArgumentException">The panels share a checker, or the second is not an even, non-empty
    /// number.</exception>
    public static MajorityResult DecideEscalated(IReadOnlyList<Address> first, IReadOnlyList<Address> second, IReadOnlyList<MajorityReport> reports)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (second.Count == 0 || second.Count % 2 != 0)
            throw new ArgumentException($"a second panel is an even number of checkers, not {second.Count}", nameof(second));
        if (first.Intersect(second).Any())
            throw new ArgumentException("a checker of the first panel is on the second", nameof(second));
        return MajorityRules.Decide([.. first, .. second], reports);
    }
}

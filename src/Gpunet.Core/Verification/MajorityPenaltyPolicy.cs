namespace Gpunet.Core.Verification;

/// <summary>The rule that costs a checker its rewards: <see cref="IncorrectLimit"/> incorrect marks within
/// <see cref="Window"/> suspend its rewards for <see cref="Suspension"/> from the mark that reached the limit.</summary>
/// <remarks>MISSION.md: 2 incorrect reports in a week cost a checker its reward eligibility for a month (30 days here).
/// The window slides: every mark that makes <see cref="IncorrectLimit"/> marks in the <see cref="Window"/> up to and
/// including it starts a suspension, and overlapping suspensions merge. Marks older than a window never expire a
/// suspension early. Honeypot misses are incorrect marks like any other. Pure: time is the marks' own.</remarks>
/// <param name="IncorrectLimit">How many incorrect marks trigger a suspension.</param>
/// <param name="Window">How close together they must be: the last minus the first is less than this.</param>
/// <param name="Suspension">How long rewards stop.</param>
public sealed record MajorityPenaltyPolicy(int IncorrectLimit, TimeSpan Window, TimeSpan Suspension)
{
    /// <summary>2 incorrect in a week cost a month (30 days).</summary>
    public static MajorityPenaltyPolicy Default { get; } = new(2, TimeSpan.FromDays(7), TimeSpan.FromDays(30));

    /// <summary>The times a checker with incorrect marks at <paramref name="incorrectAt"/> (any order) earns no
    /// rewards, earliest first, merged where they touch or overlap.</summary>
    public IReadOnlyList<MajoritySuspension> Suspensions(IEnumerable<DateTimeOffset> incorrectAt)
    {
        ArgumentNullException.ThrowIfNull(incorrectAt);
        ArgumentOutOfRangeException.ThrowIfLessThan(IncorrectLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Suspension, TimeSpan.Zero);

        var marks = incorrectAt.Order().ToList();
        var periods = new List<MajoritySuspension>();
        for (var k = IncorrectLimit - 1; k < marks.Count; k++)
        {
            if (marks[k] - marks[k - IncorrectLimit + 1] >= Window)
                continue;
            var period = new MajoritySuspension(marks[k], marks[k] + Suspension);
            if (periods.Count > 0 && periods[^1].Until >= period.From)
                periods[^1] = periods[^1] with { Until = period.Until > periods[^1].Until ? period.Until : periods[^1].Until };
            else
                periods.Add(period);
        }

        return periods;
    }

    /// <summary>Whether a checker with these incorrect marks earns rewards for a report made at <paramref name="at"/>.</summary>
    public bool EarnsRewardsAt(IEnumerable<DateTimeOffset> incorrectAt, DateTimeOffset at) =>
        !Suspensions(incorrectAt).Any(s => s.Covers(at));
}

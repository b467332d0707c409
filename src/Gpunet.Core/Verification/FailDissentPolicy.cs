using System.Globalization;

namespace Gpunet.Core.Verification;

/// <summary>When a checker's fails of hosts that every other checker passed cannot be the hosts' doing: within
/// <see cref="Window"/>, fail dissents on hosts of at least <see cref="DistinctOperators"/> different operators, making
/// at least <see cref="MinShare"/> of its reports on the checks of that kind that passed.</summary>
/// <remarks>
/// <para>Why both: one fail dissent is no proof (a host knows who probes it, every probe is signed, so it can answer one
/// checker late or wrong), and one operator can frame a checker on all its hosts at once; but many operators,
/// identified and staked, all answering the same checker wrong while answering everyone else right, is not a thing
/// hosts do: the fault is at the checker's end (it lies, or its own link is broken, and either way its fails say
/// nothing about the hosts). The share keeps an honest checker with an hour of bad network in a busy week out: MISSION.md
/// holds honest hosts to failing under 0.1 % of checks, and a majority of three fails an honest host about 3p² of the
/// time when each checker falsely fails p of them, so a network meeting the target has checkers at p ≈ 1.8 % or less;
/// the default <see cref="MinShare"/> of 20 % is ten times that. A checker that fails less than that slips through and
/// still costs a second panel on each of those fails, a fifth of what an always-fail checker costs.</para>
/// <para>Counted per kind of check (a liveness checker sits on a thousand checks for every capacity one, so one
/// kind's share would drown the other's).</para>
/// </remarks>
/// <param name="DistinctOperators">K: how many different host operators its fail dissents must span. Default 5.</param>
/// <param name="MinShare">The least share of its reports on passed checks of the kind that are fails. Default 0.2.</param>
/// <param name="Window">How far back the rule looks: a rolling week.</param>
public sealed record FailDissentPolicy(int DistinctOperators, double MinShare, TimeSpan Window)
{
    /// <summary>5 operators, 20 % of its reports, within a week.</summary>
    public static FailDissentPolicy Default { get; } = new(5, 0.2, TimeSpan.FromDays(7));

    /// <summary>What is wrong with the policy, one line each; empty when it can be used.</summary>
    public IReadOnlyList<string> Validate()
    {
        var c = CultureInfo.InvariantCulture;
        var errors = new List<string>();
        if (DistinctOperators is < 2 or > 1_000)
            errors.Add(string.Create(c, $"distinct operators must be 2 to 1000 (one operator can frame a checker), not {DistinctOperators}"));
        if (MinShare is not (> 0 and <= 1))
            errors.Add(string.Create(c, $"the share must be above 0 and at most 1, not {MinShare}"));
        if (Window < TimeSpan.FromHours(1) || Window > TimeSpan.FromDays(90))
            errors.Add(string.Create(c, $"the window must be 1 hour to 90 days, not {Window}"));
        return errors;
    }
}

using System.Globalization;

namespace Gpunet.Core.Verification;

/// <summary>The checkers picked for one check, or why there are not enough.</summary>
/// <param name="Needed">2N+1: how many checkers the check needs.</param>
/// <param name="Chosen">The checkers picked, in the order they were picked; empty when <see cref="Assigned"/> is false.</param>
/// <param name="Eligible">How many known checkers could have been picked.</param>
/// <param name="Excluded">Every known checker that could not, with the reason, ordered by address.</param>
public sealed record CheckerAssignment(int Needed, IReadOnlyList<AssignmentCandidate> Chosen, int Eligible, IReadOnlyList<AssignmentExclusion> Excluded)
{
    /// <summary>Whether the check has its 2N+1 checkers.</summary>
    public bool Assigned => Chosen.Count == Needed;

    /// <summary>Why the check cannot be assigned, for the operator; null when it is.</summary>
    public string? Shortfall => Assigned ? null : string.Create(CultureInfo.InvariantCulture,
        $"needs {Needed} checkers, {Eligible} eligible{ExcludedText()}");

    private string ExcludedText() => Excluded.Count == 0 ? ""
        : "; excluded: " + string.Join(", ", Excluded.Select(e => $"{e.Checker} ({Describe(e.Reason)})"));

    private static string Describe(AssignmentExclusionReason reason) => reason switch
    {
        AssignmentExclusionReason.HostsOwnOperator => "run by the host's operator",
        AssignmentExclusionReason.NotLicensed => "not licensed",
        AssignmentExclusionReason.OnFirstPanel => "on the first panel",
        _ => "not connected",
    };
}
